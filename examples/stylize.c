/* Stylize one image with graphstyle's C API:
 *   stylize_c MODEL.h5 CONTENT STYLE OUT.png */
#include <graphstyle/graphstyle.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECK(call)                                             \
  if ((call) != GRAPHSTYLE_OK) {                                \
    fprintf(stderr, "error: %s\n", graphstyle_last_error());    \
    return 1;                                                   \
  }

int main(int argc, char** argv) {
  graphstyle_model* model = NULL;
  graphstyle_options* options = NULL;
  graphstyle_context* context = NULL;
  uint8_t *content = NULL, *style = NULL;
  int cw, ch, sw, sh;
  if (argc != 5) return fprintf(stderr, "usage: %s MODEL.h5 CONTENT STYLE OUT.png\n", argv[0]), 2;
  CHECK(graphstyle_model_load(argv[1], &model));
  CHECK(graphstyle_options_create(model, &options));
  CHECK(graphstyle_options_set_float(options, "alpha", 0.9f));
  CHECK(graphstyle_context_create(&context));
  CHECK(graphstyle_image_load_rgb8(argv[2], &content, &cw, &ch));
  CHECK(graphstyle_image_load_rgb8(argv[3], &style, &sw, &sh));
  uint8_t* out = malloc((size_t)cw * ch * 3);
  CHECK(graphstyle_stylize_rgb8(model, context, options, content, cw, ch, style, sw, sh, out));
  CHECK(graphstyle_image_save_rgb8(argv[4], out, cw, ch));
  printf("graphstyle %s: %dx%d -> %s\n", graphstyle_version(), cw, ch, argv[4]);
  free(out);
  graphstyle_free(content);
  graphstyle_free(style);
  graphstyle_context_free(context);
  graphstyle_options_free(options);
  graphstyle_model_free(model);
  return 0;
}
