// graphstyle stylize: one content image in the style of one style image, through the public API.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <graphstyle/graphstyle.hpp>

#include "data/image.h"        // the --size forms (target_hw)
#include "data/model_file.h"   // RecommendedSettings, for saying which settings came from the model
#include "tools/args.h"
#include "tools/stylize_options.h"
#include "tools/isolated.h"

namespace gs::tools {

namespace {
const char* kLegendFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";  // Debian's fonts-dejavu-core
const std::string kUsage =
    "usage: graphstyle stylize --model MODEL.h5 --content IMAGE --style IMAGE --out IMAGE [options]\n"
    "  --model M.h5        a model file (graphstyle convert) or a training checkpoint\n"
    "  --method adain|gnn  AdaIN, or the GNN stylizer (gnn)\n" +
    stylize_options_usage("512") +
    "Inspection (--method gnn):\n"
    "  --dump-graph F.h5   node positions, inter/intra edges with NCC scores, attention, scales\n"
    "  --explain-dir DIR   scale_map.png, attention_entropy.png, correspondence.png (content-sized)\n"
    "  --quality Q         JPEG quality 1..100 when --out is .jpg (95)\n";

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The library names its fields; on the command line each is the flag of the same name.
[[noreturn]] void rethrow_as_flag(const graphstyle::OptionError& e) {
  for (const char* field : {"k", "kc", "patch", "stroke", "alpha", "mix", "threads"})
    if (e.field() == field) throw std::invalid_argument(std::string("--") + e.what());
  throw;
}

graphstyle::Image load_sized(const std::string& path, const data::SizeSpec& size, const data::ImageLimits& limits) {
  const graphstyle::Image image = graphstyle::load_image(path, graphstyle::ImageLimits{limits.max_side, limits.max_pixels});
  const auto [h, w] = data::target_hw(image.height, image.width, size);
  return graphstyle::resize(image, static_cast<int>(w), static_cast<int>(h));
}

// The model's defaults (its patch size and recommended settings) with what the command line gave.
graphstyle::StylizeOptions api_options(const graphstyle::Model& model, const StylizeOptions& opt, bool gnn) {
  graphstyle::StylizeOptions o = model.default_options();
  o.method = gnn ? graphstyle::Method::gnn : graphstyle::Method::adain;
  if (!gnn) {
    o.alpha = opt.adain_alpha();  // a model's recommendation is for its GNN
    return o;
  }
  if (opt.patch) o.patch = opt.patch;
  if (opt.alpha) o.alpha = static_cast<float>(*opt.alpha);
  if (opt.stroke) o.stroke = static_cast<float>(*opt.stroke);
  if (opt.k) o.k = static_cast<int>(*opt.k);
  if (opt.kc) o.kc = static_cast<int>(*opt.kc);
  if (opt.mix) o.mix = static_cast<float>(*opt.mix);
  o.deformable = opt.gnn.deformable;
  o.aggregator = opt.gnn.aggregator == graph::Aggregator::gat ? graphstyle::Aggregator::gat : graphstyle::Aggregator::mean;
  o.metric = opt.gnn.metric == graph::Metric::ncc ? graphstyle::Metric::ncc : graphstyle::Metric::euclidean;
  o.trim_heap = true;  // a one-shot process: memory counts more than keeping the heap warm
  return o;
}

// The model's recommended settings, as the shared option parser reports them.
data::RecommendedSettings recommended(const graphstyle::Model& model) {
  const graphstyle::StylizeOptions d = model.default_options();
  data::RecommendedSettings r;
  for (const std::string& f : model.info().recommended) {
    if (f == "alpha") r.alpha = d.alpha;
    if (f == "stroke") r.stroke = d.stroke;
    if (f == "k") r.k = d.k;
    if (f == "kc") r.kc = d.kc;
    if (f == "mix") r.mix = d.mix;
  }
  return r;
}
}  // namespace

int run_stylize(const std::vector<std::string>& argv) {
  Args args(argv, kUsage);
  if (args.help()) {
    std::printf("%s", kUsage.c_str());
    return 0;
  }
  const std::string model_path = args.required("--model");
  const std::string content_path = args.required("--content");
  const std::string style_path = args.required("--style");
  const std::string out_path = args.required("--out");
  // The model file comes from anyone: a first read in a child turns a crash of libhdf5 into an error.
  check_in_child(model_path, [&] { data::load_model_file(model_path); });
  const StylizeOptions opt = parse_stylize_options(args, "512");
  const std::string method = args.get_choice("--method", "gnn", {"gnn", "adain"});
  const int quality = static_cast<int>(args.get_int("--quality", 95, 1, 100));
  const std::string dump_path = args.get("--dump-graph", "");
  const std::string explain_dir = args.get("--explain-dir", "");
  args.finish();
  if ((!dump_path.empty() || !explain_dir.empty()) && method != "gnn")
    throw std::invalid_argument("--dump-graph and --explain-dir need --method gnn");
  const std::vector<std::pair<std::string, std::string>> inputs = {
      {"--model", model_path}, {"--content", content_path}, {"--style", style_path}};
  refuse_output_over_input("--out", out_path, inputs);
  if (!dump_path.empty()) refuse_output_over_input("--dump-graph", dump_path, inputs);
  // The legends' font is checked first: a missing one fails before the long work.
  if (!explain_dir.empty() && !std::ifstream(kLegendFont)) throw std::runtime_error(std::string(kLegendFont) + ": cannot open the font file");

  const auto t0 = std::chrono::steady_clock::now();
  const graphstyle::Image content = load_sized(content_path, opt.size, opt.limits);
  const graphstyle::Image style = load_sized(style_path, opt.style_size, opt.limits);
  const graphstyle::Model model = graphstyle::Model::load(model_path);
  const graphstyle::StylizeOptions o = api_options(model, opt, method == "gnn");
  const double t_load = seconds_since(t0);
  const bool inspect = !dump_path.empty() || !explain_dir.empty();
  graphstyle::Trace trace;
  graphstyle::Context context;
  graphstyle::Image out;
  try {
    out = model.stylize(context, content, style, o, inspect ? &trace : nullptr);
  } catch (const graphstyle::OptionError& e) {
    rethrow_as_flag(e);
  }
  const double t_run = seconds_since(t0) - t_load;
  graphstyle::save_image(out_path, out, quality);
  if (!dump_path.empty()) trace.save_graph(dump_path);
  if (!explain_dir.empty()) trace.write_explain_dir(explain_dir, kLegendFont);
  const std::string from_model = opt.from_model(recommended(model));
  if (method == "gnn" && !from_model.empty()) std::printf("the model's recommended settings: %s\n", from_model.c_str());
  if (!explain_dir.empty())
    std::printf("explain images: %s/{scale_map,attention_entropy,correspondence}.png\n", explain_dir.c_str());
  if (!dump_path.empty()) std::printf("graph dump: %s\n", dump_path.c_str());
  std::printf("content %dx%d, style %dx%d; load %.2fs %s %.2fs -> %s\n", content.width, content.height, style.width,
              style.height, t_load, method.c_str(), t_run, out_path.c_str());
  return 0;
}

}  // namespace gs::tools
