/* graphstyle's C API: style transfer from C, or from any language with a C FFI (Python's ctypes).
 *
 *   graphstyle_model* model = NULL;
 *   if (graphstyle_model_load("model.h5", &model) != GRAPHSTYLE_OK) {
 *     fprintf(stderr, "%s\n", graphstyle_last_error());
 *     return 1;
 *   }
 *   graphstyle_options* options = NULL;
 *   graphstyle_options_create(model, &options);           (the model's defaults)
 *   graphstyle_options_set_int(options, "k", 8);
 *   graphstyle_context* context = NULL;
 *   graphstyle_context_create(&context);
 *   graphstyle_stylize_rgb8(model, context, options, content, cw, ch, style, sw, sh, out);
 *   ... graphstyle_context_free(context); graphstyle_options_free(options); graphstyle_model_free(model);
 *
 * Every call returns a graphstyle_status; on failure graphstyle_last_error() gives the message (it
 * names the file or the options field and what was expected). No C++ exception crosses this API.
 * Images are interleaved RGB, row by row from the top: width * height * 3 values.
 *
 * Threads: a loaded model is immutable and may be used by any number of threads at once. A context
 * holds one call's scratch: give each thread its own. Options are read-only during a call and may be
 * shared. graphstyle_last_error() is per thread: the message of this thread's last failed call.
 * The library does nothing process-wide (no allocator tuning, no printing) unless asked
 * (graphstyle_tune_allocator).
 */
#ifndef GRAPHSTYLE_H
#define GRAPHSTYLE_H

#include <stddef.h>
#include <stdint.h>

#include "graphstyle/export.h"
#include "graphstyle/version.h"

GRAPHSTYLE_EXPORT_BEGIN
#ifdef __cplusplus
extern "C" {
#endif

typedef enum graphstyle_status {
  GRAPHSTYLE_OK = 0,
  GRAPHSTYLE_INVALID_ARGUMENT = 1, /* an option, image or pointer the call cannot use */
  GRAPHSTYLE_FILE_ERROR = 2,       /* a file missing, unreadable, malformed or unwritable */
  GRAPHSTYLE_OUT_OF_MEMORY = 3,
  GRAPHSTYLE_INTERNAL_ERROR = 4    /* a bug in graphstyle */
} graphstyle_status;

typedef struct graphstyle_model graphstyle_model;
typedef struct graphstyle_context graphstyle_context;
typedef struct graphstyle_options graphstyle_options;

/* "0.2.0": the library's version (GRAPHSTYLE_VERSION_STRING is the header's). */
const char* graphstyle_version(void);
/* The message of this thread's last failed call ("" if none). Valid until this thread's next call. */
const char* graphstyle_last_error(void);

/* A model file (`graphstyle convert`, or a training run's model.h5 or checkpoint.h5). */
graphstyle_status graphstyle_model_load(const char* path, graphstyle_model** model);
/* The bytes of a model file in memory; they are copied, the buffer may be freed afterwards. */
graphstyle_status graphstyle_model_load_memory(const void* data, size_t size, graphstyle_model** model);
void graphstyle_model_free(graphstyle_model* model); /* NULL is ignored */

graphstyle_status graphstyle_context_create(graphstyle_context** context);
void graphstyle_context_free(graphstyle_context* context);

/* Options start as the model's defaults. Fields (graphstyle/options.hpp):
 *   int:    k, kc, patch, deformable (0/1), threads (0 = the default), trim_heap (0/1)
 *   float:  alpha, stroke, mix (0 = content .. 1 = AdaIN(Fc, Fs))
 *   string: method (gnn | adain), aggregator (gat | mean | gin | edgeconv | sage), metric (ncc | euclidean),
 *           knn (exact | approximate), precision (fp32 | bf16; bf16 runs in fp32 on a CPU without native bf16)
 * An unknown field or a value out of range fails with GRAPHSTYLE_INVALID_ARGUMENT. */
graphstyle_status graphstyle_options_create(const graphstyle_model* model, graphstyle_options** options);
void graphstyle_options_free(graphstyle_options* options);
graphstyle_status graphstyle_options_set_int(graphstyle_options* options, const char* field, int value);
graphstyle_status graphstyle_options_set_float(graphstyle_options* options, const char* field, float value);
graphstyle_status graphstyle_options_set_string(graphstyle_options* options, const char* field, const char* value);

/* content: content_width x content_height, style: style_width x style_height; out receives
 * content_width * content_height * 3 values (the caller allocates it). Any sizes: large images are
 * processed in strips automatically. */
graphstyle_status graphstyle_stylize_rgb8(const graphstyle_model* model, graphstyle_context* context,
                                          const graphstyle_options* options, const uint8_t* content,
                                          int content_width, int content_height, const uint8_t* style,
                                          int style_width, int style_height, uint8_t* out);
/* The same with float channels in [0, 1]. */
graphstyle_status graphstyle_stylize_float(const graphstyle_model* model, graphstyle_context* context,
                                           const graphstyle_options* options, const float* content,
                                           int content_width, int content_height, const float* style,
                                           int style_width, int style_height, float* out);

/* Quality metrics of a stylized image (graphstyle/quality.hpp: what each measures), on the model's
 * encoder: output and content are width x height, the style style_width x style_height. metrics
 * receives GRAPHSTYLE_QUALITY_METRICS values, in the order of graphstyle_quality_metric_name. */
#define GRAPHSTYLE_QUALITY_METRICS 6
graphstyle_status graphstyle_quality_rgb8(const graphstyle_model* model, const uint8_t* output, const uint8_t* content,
                                          int width, int height, const uint8_t* style, int style_width,
                                          int style_height, double* metrics);
/* "content_relu4_1", "content_relu3_1", "style", "local_relu3_1", "local_relu4_1", "ssim" for 0..5;
 * NULL for any other index. */
const char* graphstyle_quality_metric_name(int index);

/* Image files (PNG, JPEG, BMP in; PNG, JPEG out), for programs without an image library.
 * load allocates *pixels (free it with graphstyle_free); save writes atomically. */
graphstyle_status graphstyle_image_load_rgb8(const char* path, uint8_t** pixels, int* width, int* height);
graphstyle_status graphstyle_image_save_rgb8(const char* path, const uint8_t* pixels, int width, int height);
/* Bicubic resampling; out receives out_width * out_height * 3 values. */
graphstyle_status graphstyle_image_resize_rgb8(const uint8_t* pixels, int width, int height, uint8_t* out,
                                               int out_width, int out_height);
void graphstyle_free(void* buffer);

/* Opt-in, process-wide: glibc malloc tuned for large tensors (see graphstyle/process.hpp). */
graphstyle_status graphstyle_tune_allocator(void);

#ifdef __cplusplus
}
#endif
GRAPHSTYLE_EXPORT_END

#endif /* GRAPHSTYLE_H */
