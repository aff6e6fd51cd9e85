// graphstyle-dev precision: how far a stylization at StylizeOptions::precision bf16 lands from the
// same at fp32, over every photo x painting of the shared images: PSNR and SSIM (graphstyle/quality.hpp)
// of the bf16 output against the fp32 output, both as saved to 8-bit files. The README's quality
// gate for bf16 (PSNR >= 30 dB, SSIM >= 0.98 on every pair) is read off its summary.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "graphstyle/graphstyle.hpp"
#include "tools/args.h"

namespace gs::tools {
namespace {

struct Sized {
  std::string name;
  graphstyle::Image image;
};

std::vector<Sized> load_folder(const std::string& folder, const std::string& size, int skip, int limit) {
  std::vector<Sized> out;
  for (const std::string& path : graphstyle::list_images(folder)) {
    if (skip-- > 0) continue;
    if (limit > 0 && static_cast<int>(out.size()) == limit) break;
    const graphstyle::Image full = graphstyle::load_image(path);
    const graphstyle::ImageSize to = graphstyle::sized(full.width, full.height, size);
    out.push_back({path.substr(path.find_last_of('/') + 1), graphstyle::resize(full, to.width, to.height)});
  }
  return out;
}

struct Stats {
  double min = std::numeric_limits<double>::infinity(), sum = 0;
  std::string worst;
  int n = 0;
  void add(double v, const std::string& pair) {
    if (v < min) min = v, worst = pair;
    sum += v, ++n;
  }
  double mean() const { return n ? sum / n : 0; }
};

// The share of a's edges (node, source) that b does not have: what a change of precision did to the
// graph itself, as opposed to the values flowing through it.
double changed_share(const graphstyle::GraphEdges& a, const graphstyle::GraphEdges& b) {
  if (a.k == 0 || a.sources.size() != b.sources.size()) return 0;
  int64_t changed = 0;
  for (size_t node = 0; node < a.sources.size() / a.k; ++node) {
    const auto row_b = b.sources.begin() + node * b.k;
    for (int j = 0; j < a.k; ++j)
      changed += std::find(row_b, row_b + b.k, a.sources[node * a.k + j]) == row_b + b.k;
  }
  return double(changed) / double(a.sources.size());
}

}  // namespace

int run_precision(const std::vector<std::string>& argv) {
  const std::string usage =
      "usage: graphstyle-dev precision --model M.h5 [--shared DIR] [--size N] [--contents N] [--styles N]\n"
      "  every photo (SHARED/images/content) x painting (SHARED/images/style) at --size (512), stylized\n"
      "  with the model's default options at precision fp32 and bf16; per pair and over all pairs: the\n"
      "  PSNR (dB) and SSIM of the bf16 output against the fp32 output, both as saved to 8-bit files\n"
      "  --contents N, --styles N  only the first N of each folder (0 = all)\n"
      "  --skip-contents N         start at the folder's N+1-th photo (a long run in parts)\n"
      "  --psnr DB, --ssim S       the gate each pair must pass (30, 0.98); exit status 1 if one fails\n"
      "  --edges                   also the share of the inter and intra edges that bf16 changes (traced)\n";
  Args args(argv, usage);
  if (args.help()) {
    std::printf("%s", usage.c_str());
    return 0;
  }
  const std::string model_path = args.required("--model");
  const char* env = std::getenv("GRAPHSTYLE_SHARED");
  const std::string shared = args.get("--shared", env ? env : "../shared");
  const std::string size = args.get("--size", "512");
  const int n_contents = static_cast<int>(args.get_int("--contents", 0, 0, 1000));
  const int n_styles = static_cast<int>(args.get_int("--styles", 0, 0, 1000));
  const int skip_contents = static_cast<int>(args.get_int("--skip-contents", 0, 0, 1000));
  const double min_psnr = args.get_double("--psnr", 30.0, 0.0, 1000.0);
  const double min_ssim = args.get_double("--ssim", 0.98, -1.0, 1.0);
  const bool edges = args.flag("--edges");
  args.finish();

  const graphstyle::Model model = graphstyle::Model::load(model_path);
  graphstyle::StylizeOptions fp32 = model.default_options(), bf16 = fp32;
  bf16.precision = graphstyle::Precision::bf16;
  if (const std::string note = graphstyle::precision_note(bf16.precision); !note.empty())
    std::printf("note: %s (the comparison is then fp32 against fp32)\n", note.c_str());
  const std::vector<Sized> contents = load_folder(shared + "/images/content", size, skip_contents, n_contents);
  const std::vector<Sized> styles = load_folder(shared + "/images/style", size, 0, n_styles);
  graphstyle::Context ctx32, ctx16;  // one per precision: each keeps its nets' weights laid out
  std::vector<graphstyle::StyleFeatures> fs32, fs16;
  for (const Sized& s : styles) {
    fs32.push_back(model.encode_style(ctx32, s.image, fp32));
    fs16.push_back(model.encode_style(ctx16, s.image, bf16));
  }
  std::printf("%-24s %-28s %9s %8s%s\n", "content", "style", "PSNR dB", "SSIM", edges ? "  inter edges changed  intra" : "");
  Stats psnr, ssim;
  int failed = 0;
  double t32 = 0, t16 = 0;
  using Clock = std::chrono::steady_clock;
  for (const Sized& c : contents)
    for (size_t i = 0; i < styles.size(); ++i) {
      const auto t0 = Clock::now();
      graphstyle::Trace trace32, trace16;
      const graphstyle::Image a =
          graphstyle::as_saved(model.stylize(ctx32, c.image, fs32[i], fp32, edges ? &trace32 : nullptr));
      const auto t1 = Clock::now();
      const graphstyle::Image b =
          graphstyle::as_saved(model.stylize(ctx16, c.image, fs16[i], bf16, edges ? &trace16 : nullptr));
      t32 += std::chrono::duration<double>(t1 - t0).count();
      t16 += std::chrono::duration<double>(Clock::now() - t1).count();
      const double p = graphstyle::psnr(b, a), s = graphstyle::ssim(b, a);
      const std::string pair = c.name + " x " + styles[i].name;
      psnr.add(p, pair);
      ssim.add(s, pair);
      const bool pass = p >= min_psnr && s >= min_ssim;
      failed += !pass;
      std::printf("%-24s %-28s %9.2f %8.4f", c.name.c_str(), styles[i].name.c_str(), p, s);
      if (edges) {
        const graphstyle::GraphData g32 = trace32.graph(), g16 = trace16.graph();
        std::printf("  %19.4f  %5.4f", changed_share(g32.inter, g16.inter), changed_share(g32.intra, g16.intra));
      }
      std::printf("%s\n", pass ? "" : "  FAIL");
      std::fflush(stdout);
    }
  std::printf("\n%d pairs at %s: PSNR min %.2f dB (%s), mean %.2f dB; SSIM min %.4f (%s), mean %.4f\n", psnr.n,
              size.c_str(), psnr.min, psnr.worst.c_str(), psnr.mean(), ssim.min, ssim.worst.c_str(), ssim.mean());
  std::printf("gate PSNR >= %g dB and SSIM >= %g: %s (%d of %d pairs fail)\n", min_psnr, min_ssim,
              failed ? "FAILED" : "passed", failed, psnr.n);
  std::printf("stylize time (styles encoded once, not timed for a benchmark): fp32 %.1f s, bf16 %.1f s\n", t32, t16);
  return failed ? 1 : 0;
}

}  // namespace gs::tools
