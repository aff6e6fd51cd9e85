// graphstyle stylize: one content image in the style of one style image, through the public API.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <graphstyle/graphstyle.hpp>

#include "data/image.h"  // the --size forms (parse_size, target_hw)
#include "tools/args.h"

namespace gs::tools {

namespace {
const char* kUsage =
    "usage: graphstyle stylize --model MODEL.h5 --content IMAGE --style IMAGE --out IMAGE [options]\n"
    "  --model M.h5        a model file (graphstyle convert) or a training checkpoint\n"
    "  --size N            content size: shorter side N (rounded to a multiple of 8), WxH, or 0 = as is (512)\n"
    "  --style-size N      style size, same forms (default: --size)\n"
    "  --alpha A           stylization strength in [0, 1] (1)\n"
    "  --mix content|adain (1 - alpha) mixes in the content features (content, MODEL.md) or AdaIN(Fc, Fs)\n"
    "  --method adain|gnn  AdaIN, or the GNN stylizer (gnn)\n"
    "GNN controls (MODEL.md 2, 6):\n"
    "  --k K               style neighbours per content patch, 1..64 (5)\n"
    "  --kc K              content neighbours per content patch, 0 = no intra-domain stage (5)\n"
    "  --patch P           patch size at relu4_1, odd (the model's, 5)\n"
    "  --stroke X          multiplies every deformable scale (1)\n"
    "  --deformable on|off deformable patch sampling (on)\n"
    "  --aggregator gat|mean  attention, or the mean of the neighbours (gat)\n"
    "  --metric ncc|euclidean  k-NN similarity for the style neighbours (ncc)\n"
    "Inspection (--method gnn):\n"
    "  --dump-graph F.h5   node positions, inter/intra edges with NCC scores, attention, scales\n"
    "  --explain-dir DIR   scale_map.png, attention_entropy.png, correspondence.png (content-sized)\n"
    "  --quality Q         JPEG quality 1..100 when --out is .jpg (95)\n"
    "  --max-pixels N      refuse larger input images (64000000); --max-side N likewise (16384)\n";

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The library names its fields; on the command line each is the flag of the same name.
[[noreturn]] void rethrow_as_flag(const graphstyle::OptionError& e) {
  for (const char* field : {"k", "kc", "patch", "stroke", "alpha", "threads"})
    if (e.field() == field) throw std::invalid_argument(std::string("--") + e.what());
  throw;
}

graphstyle::Image load_sized(const std::string& path, const data::SizeSpec& size, const graphstyle::ImageLimits& limits) {
  const graphstyle::Image image = graphstyle::load_image(path, limits);
  const auto [h, w] = data::target_hw(image.height, image.width, size);
  return graphstyle::resize(image, static_cast<int>(w), static_cast<int>(h));
}

bool recommends(const graphstyle::ModelInfo& info, const std::string& field) {
  for (const std::string& f : info.recommended)
    if (f == field) return true;
  return false;
}
}  // namespace

int run_stylize(const std::vector<std::string>& argv) {
  Args args(argv, kUsage);
  if (args.help()) {
    std::printf("%s", kUsage);
    return 0;
  }
  const std::string model_path = args.required("--model");
  const std::string content_path = args.required("--content");
  const std::string style_path = args.required("--style");
  const std::string out_path = args.required("--out");
  const data::SizeSpec size = data::parse_size(args.get("--size", "512"), "--size");
  const auto style_size_text = args.value("--style-size");
  const data::SizeSpec style_size = style_size_text ? data::parse_size(*style_size_text, "--style-size") : size;
  const auto t0 = std::chrono::steady_clock::now();
  const graphstyle::Model model = graphstyle::Model::load(model_path);
  // The model's defaults: a trained model carries the settings chosen for it on the held-out set.
  // Options given win; the ones taken from the model are listed.
  graphstyle::StylizeOptions o = model.default_options();
  const graphstyle::ModelInfo info = model.info();
  std::string from_model;
  auto model_default = [&](const char* flag, const char* field, double value) {
    if (recommends(info, field) && !args.value(flag)) {
      char text[32];
      std::snprintf(text, sizeof text, "%g", value);
      from_model += std::string(from_model.empty() ? "" : ", ") + flag + " " + text;
    }
    return value;
  };
  o.alpha = static_cast<float>(args.get_double("--alpha", model_default("--alpha", "alpha", o.alpha), 0.0, 1.0));
  o.method = args.get_choice("--method", "gnn", {"gnn", "adain"}) == "gnn" ? graphstyle::Method::gnn
                                                                          : graphstyle::Method::adain;
  const int quality = static_cast<int>(args.get_int("--quality", 95, 1, 100));
  o.k = static_cast<int>(args.get_int("--k", int64_t(model_default("--k", "k", o.k)), 1, 64));
  o.kc = static_cast<int>(args.get_int("--kc", int64_t(model_default("--kc", "kc", o.kc)), 0, 64));
  const int64_t patch = args.get_int("--patch", 0, 1, 15);  // 0: the model's
  o.stroke = static_cast<float>(args.get_double("--stroke", model_default("--stroke", "stroke", o.stroke), 1e-3, 100.0));
  o.deformable = args.get_on_off("--deformable", true);
  o.aggregator = args.get_choice("--aggregator", "gat", {"gat", "mean"}) == "gat" ? graphstyle::Aggregator::gat
                                                                                 : graphstyle::Aggregator::mean;
  o.metric = args.get_choice("--metric", "ncc", {"ncc", "euclidean"}) == "ncc" ? graphstyle::Metric::ncc
                                                                              : graphstyle::Metric::euclidean;
  const std::string model_mix = o.mix == graphstyle::Mix::adain ? "adain" : "content";
  if (recommends(info, "mix") && !args.value("--mix"))
    from_model += std::string(from_model.empty() ? "" : ", ") + "--mix " + model_mix;
  o.mix = args.get_choice("--mix", model_mix, {"content", "adain"}) == "adain" ? graphstyle::Mix::adain
                                                                              : graphstyle::Mix::content;
  o.trim_heap = true;  // a one-shot process: memory counts more than keeping the heap warm
  const std::string dump_path = args.get("--dump-graph", "");
  const std::string explain_dir = args.get("--explain-dir", "");
  graphstyle::ImageLimits limits;
  limits.max_pixels = args.get_int("--max-pixels", limits.max_pixels, 1, INT64_MAX);
  limits.max_side = args.get_int("--max-side", limits.max_side, 1, INT64_MAX);
  args.finish();
  if (patch && patch % 2 == 0) throw std::invalid_argument("--patch " + std::to_string(patch) + ": must be odd");
  if (patch) o.patch = static_cast<int>(patch);
  if ((!dump_path.empty() || !explain_dir.empty()) && o.method != graphstyle::Method::gnn)
    throw std::invalid_argument("--dump-graph and --explain-dir need --method gnn");

  const graphstyle::Image content = load_sized(content_path, size, limits);
  const graphstyle::Image style = load_sized(style_path, style_size, limits);
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
  if (!explain_dir.empty()) trace.write_explain_dir(explain_dir);
  if (o.method == graphstyle::Method::gnn && !from_model.empty())
    std::printf("the model's recommended settings: %s\n", from_model.c_str());
  if (!explain_dir.empty())
    std::printf("explain images: %s/{scale_map,attention_entropy,correspondence}.png\n", explain_dir.c_str());
  if (!dump_path.empty()) std::printf("graph dump: %s\n", dump_path.c_str());
  std::printf("content %dx%d, style %dx%d; load %.2fs %s %.2fs -> %s\n", content.width, content.height, style.width,
              style.height, t_load, o.method == graphstyle::Method::gnn ? "gnn" : "adain", t_run, out_path.c_str());
  return 0;
}

}  // namespace gs::tools
