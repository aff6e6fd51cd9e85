// graphstyle-dev pan: the README's picture of video smoothing (tools/make_gallery.sh). Shifted crops
// of one photo play a panning video; each frame is stylized on its own and as a FrameSequence with
// smoothing, and under each output pair sits what changed from the previous frame (the absolute
// difference of the two outputs at the same scene points, amplified): flicker made visible.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "graphstyle/graphstyle.hpp"
#include "tools/args.h"

namespace gs::tools {
namespace {

// im: [H,W,3] -> its columns x0 .. x0 + width - 1.
graphstyle::Image crop_columns(const graphstyle::Image& im, int x0, int width) {
  graphstyle::Image out(width, im.height);
  for (int y = 0; y < im.height; ++y)
    std::copy_n(&im.pixels[3 * (size_t(y) * im.width + x0)], 3 * size_t(width), &out.pixels[3 * size_t(y) * width]);
  return out;
}

// |b(x) - a(x + shift)| x gain, grey (0 where a has no such column): what changed at each scene point.
graphstyle::Image change_map(const graphstyle::Image& a, const graphstyle::Image& b, int shift, float gain) {
  graphstyle::Image out(b.width, b.height);
  for (int y = 0; y < b.height; ++y)
    for (int x = 0; x + shift < b.width; ++x) {
      float d = 0;
      for (int c = 0; c < 3; ++c)
        d += std::abs(b.pixels[3 * (size_t(y) * b.width + x) + c] - a.pixels[3 * (size_t(y) * a.width + x + shift) + c]);
      const float v = std::min(1.f, gain * d / 3);
      for (int c = 0; c < 3; ++c) out.pixels[3 * (size_t(y) * b.width + x) + c] = v;
    }
  return out;
}

}  // namespace

int run_pan(const std::vector<std::string>& argv) {
  const std::string usage =
      "usage: graphstyle-dev pan --model M.h5 --content PHOTO --style PAINTING -o OUT.jpg [--frames N] [--shift PX]\n"
      "                          [--size PX] [--smoothing W] [--gain G] [--cell PX]\n"
      "  N crops of PHOTO (resized to PX high), SHIFT pixels apart, stylized frame by frame and as a\n"
      "  FrameSequence with smoothing W; rows: frames, outputs and their change from the previous frame\n";
  Args args(argv, usage);
  if (args.help()) {
    std::printf("%s", usage.c_str());
    return 0;
  }
  const std::string model_path = args.required("--model"), content_path = args.required("--content");
  const std::string style_path = args.required("--style"), out = args.required("-o");
  const int frames = static_cast<int>(args.get_int("--frames", 4, 2, 16));
  const int shift = static_cast<int>(args.get_int("--shift", 4, 1, 64));
  const int size = static_cast<int>(args.get_int("--size", 256, 64, 1024));
  const float smoothing = static_cast<float>(args.get_double("--smoothing", 0.5, 0.0, 0.999));
  const float gain = static_cast<float>(args.get_double("--gain", 4.0, 1.0, 100.0));
  const int cell = static_cast<int>(args.get_int("--cell", 160, 16, 1024));
  args.finish();

  const graphstyle::Model model = graphstyle::Model::load(model_path);
  const graphstyle::StylizeOptions o = model.default_options();
  graphstyle::Context ctx;
  const graphstyle::Image wide = graphstyle::resize(graphstyle::load_image(content_path), size + shift * frames, size);
  const graphstyle::Image painting = graphstyle::load_image(style_path);
  const graphstyle::StyleFeatures style = model.encode_style(
      ctx, graphstyle::resize(painting, painting.width * size / painting.height, size), o);

  std::vector<std::string> labels;
  std::vector<graphstyle::PanelRow> rows = {{"frames (crops " + std::to_string(shift) + " px apart)", {}}};
  graphstyle::FrameSequence alone(0.f, 0.f), smoothed(0.05f, smoothing);
  std::vector<graphstyle::Image> last(2);
  std::vector<graphstyle::PanelRow> outputs = {{"each frame on its own", {}}, {"change x" + std::to_string(int(gain)), {}},
                                               {"smoothing " + std::to_string(smoothing).substr(0, 4), {}},
                                               {"change x" + std::to_string(int(gain)), {}}};
  for (int f = 0; f < frames; ++f) {
    labels.push_back("frame " + std::to_string(f + 1));
    const graphstyle::Image frame = crop_columns(wide, f * shift, size);
    rows[0].images.push_back(frame);
    graphstyle::FrameSequence* seqs[2] = {&alone, &smoothed};
    for (int k = 0; k < 2; ++k) {
      const graphstyle::Image o_k = model.stylize_frame(ctx, frame, style, o, *seqs[k]);
      outputs[2 * k].images.push_back(o_k);
      outputs[2 * k + 1].images.push_back(f ? change_map(last[k], o_k, shift, gain) : graphstyle::Image());
      last[k] = o_k;
    }
  }
  rows.insert(rows.end(), outputs.begin(), outputs.end());
  const graphstyle::Font font("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
  graphstyle::save_image(out, graphstyle::make_panel(labels, rows, font, cell), 80);
  std::printf("%s: %d frames\n", out.c_str(), frames);
  return 0;
}

}  // namespace gs::tools
