// graphstyle-dev knn-quality: what the approximate k-NN (StylizeOptions::knn) costs in quality on
// real images. One content and one style image, stylized with the exact and the approximate k-NN in
// the same process: the time of each, the recall of the approximate inter and intra edges against
// the exact ones (the share of the exact edges it also found), and the PSNR of its output against the
// exact output (8-bit images, as saved).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "graphstyle/graphstyle.hpp"
#include "graphstyle/trace.hpp"
#include "tools/args.h"

namespace gs::tools {

namespace {

// Share of the exact edges (the first `ranked` of each node's `k`) that the approximate list also holds.
double recall(const graphstyle::GraphEdges& exact, const graphstyle::GraphEdges& approx, int ranked) {
  if (exact.k == 0 || exact.sources.size() != approx.sources.size()) return 0.0;
  const size_t nodes = exact.sources.size() / exact.k;
  size_t found = 0;
  for (size_t i = 0; i < nodes; ++i) {
    const std::set<int> have(approx.sources.begin() + i * approx.k, approx.sources.begin() + i * approx.k + ranked);
    for (int m = 0; m < ranked; ++m) found += have.count(exact.sources[i * exact.k + m]);
  }
  return static_cast<double>(found) / static_cast<double>(nodes * ranked);
}

double psnr8(const graphstyle::Image& a, const graphstyle::Image& b) {
  const graphstyle::ImageRGB8 x = graphstyle::to_rgb8(a), y = graphstyle::to_rgb8(b);
  double se = 0;
  for (size_t n = 0; n < x.pixels.size(); ++n) {
    const double d = static_cast<double>(x.pixels[n]) - static_cast<double>(y.pixels[n]);
    se += d * d;
  }
  const double mse = se / static_cast<double>(x.pixels.size());
  return mse == 0 ? INFINITY : 10.0 * std::log10(255.0 * 255.0 / mse);
}

}  // namespace

int run_knn_quality(const std::vector<std::string>& argv) {
  const std::string usage =
      "usage: graphstyle-dev knn-quality --model M.h5 --content PHOTO --style PAINTING [--size WxH] [--style-size WxH]\n"
      "                                  [--out-exact A.png] [--out-approx B.png]\n"
      "  the images as they are, stylized with the exact and the approximate k-NN: times, edge\n"
      "  recall, output PSNR\n";
  Args args(argv, usage);
  if (args.help()) {
    std::printf("%s", usage.c_str());
    return 0;
  }
  const std::string model_path = args.required("--model"), content_path = args.required("--content");
  const std::string style_path = args.required("--style");
  const std::string out_exact = args.get("--out-exact", ""), out_approx = args.get("--out-approx", "");
  args.finish();

  const graphstyle::Model model = graphstyle::Model::load(model_path);
  graphstyle::Context ctx;
  const graphstyle::Image content = graphstyle::load_image(content_path);
  const graphstyle::Image style = graphstyle::load_image(style_path);
  graphstyle::StylizeOptions o = model.default_options();
  graphstyle::Image out[2];
  graphstyle::Trace trace[2];
  double seconds[2];
  for (int a = 0; a < 2; ++a) {
    o.knn = a == 0 ? graphstyle::Knn::exact : graphstyle::Knn::approximate;
    const auto start = std::chrono::steady_clock::now();
    out[a] = model.stylize(ctx, content, style, o, &trace[a]);
    seconds[a] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  const graphstyle::GraphData g0 = trace[0].graph(), g1 = trace[1].graph();
  std::printf("content %dx%d, style %dx%d, p=%d k=%d kc=%d, relu4_1 grid %dx%d, style grid %dx%d\n", content.width,
              content.height, style.width, style.height, g0.p, g0.k, g0.kc, g0.grid_width, g0.grid_height,
              g0.style_grid_width, g0.style_grid_height);
  std::printf("exact        %.2f s\napproximate  %.2f s (%.2fx)\n", seconds[0], seconds[1], seconds[0] / seconds[1]);
  std::printf("recall inter %.4f  intra %.4f\n", recall(g0.inter, g1.inter, g0.k),
              g0.kc ? recall(g0.intra, g1.intra, g0.kc) : 1.0);
  std::printf("output PSNR approximate vs exact %.2f dB\n", psnr8(out[0], out[1]));
  if (!out_exact.empty()) graphstyle::save_image(out_exact, out[0]);
  if (!out_approx.empty()) graphstyle::save_image(out_approx, out[1]);
  return 0;
}

}  // namespace gs::tools
