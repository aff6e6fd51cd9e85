// Stylize one image with graphstyle's C++ API:
//   stylize_cpp MODEL.h5 CONTENT STYLE OUT.png
#include <graphstyle/graphstyle.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s MODEL.h5 CONTENT STYLE OUT.png\n", argv[0]);
    return 2;
  }
  try {
    const graphstyle::Model model = graphstyle::Model::load(argv[1]);
    graphstyle::StylizeOptions options = model.default_options();
    options.alpha = 0.9f;
    graphstyle::Context context;  // one per thread; keeps the laid-out weights between calls
    const graphstyle::Image content = graphstyle::load_image(argv[2]);
    const graphstyle::Image style = graphstyle::load_image(argv[3]);
    const graphstyle::Image out = model.stylize(context, content, style, options);
    graphstyle::save_image(argv[4], out);
    std::printf("graphstyle %s: %dx%d -> %s\n", graphstyle::version(), out.width, out.height, argv[4]);
  } catch (const graphstyle::OptionError& e) {
    std::fprintf(stderr, "option %s: %s\n", e.field().c_str(), e.what());
    return 1;
  } catch (const graphstyle::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
