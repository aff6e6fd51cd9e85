// graphstyle stylize: one content image in the style of one style image.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "data/image.h"
#include "data/model_file.h"
#include "models/graph_inspect.h"
#include "models/stylizer.h"
#include "tools/args.h"
#include "tools/isolated.h"
#include "data/model_file.h"

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
  // The model file comes from anyone: a first read in a child turns a crash of libhdf5 into an error.
  check_in_child(model_path, [&] { data::load_model_file(model_path); });
  const data::SizeSpec size = data::parse_size(args.get("--size", "512"), "--size");
  const auto style_size_text = args.value("--style-size");
  const data::SizeSpec style_size = style_size_text ? data::parse_size(*style_size_text, "--style-size") : size;
  // A trained model carries the settings chosen for it on the held-out set; options given win.
  const data::RecommendedSettings rec = data::load_recommended_settings(model_path);
  std::string from_model;
  auto model_default = [&](const char* option, const auto& value, double fallback) {
    if (!value || args.value(option)) return fallback;
    char text[32];
    std::snprintf(text, sizeof text, "%g", double(*value));
    from_model += std::string(from_model.empty() ? "" : ", ") + option + " " + text;
    return double(*value);
  };
  const bool alpha_given = args.value("--alpha").has_value();
  const float alpha = static_cast<float>(args.get_double("--alpha", 1.0, 0.0, 1.0));
  const std::string method = args.get_choice("--method", "gnn", {"gnn", "adain"});
  const int quality = static_cast<int>(args.get_int("--quality", 95, 1, 100));
  models::GraphOptions gnn;
  gnn.k = static_cast<int>(args.get_int("--k", int64_t(model_default("--k", rec.k, 5)), 1, 64));
  gnn.kc = static_cast<int>(args.get_int("--kc", int64_t(model_default("--kc", rec.kc, 5)), 0, 64));
  const int64_t patch = args.get_int("--patch", 0, 1, 15);  // 0: the model's
  gnn.stroke = static_cast<float>(args.get_double("--stroke", model_default("--stroke", rec.stroke, 1.0), 1e-3, 100.0));
  gnn.deformable = args.get_on_off("--deformable", true);
  gnn.aggregator = graph::parse_aggregator(args.get_choice("--aggregator", "gat", {"gat", "mean"}));
  gnn.metric = args.get_choice("--metric", "ncc", {"ncc", "euclidean"}) == "ncc" ? graph::Metric::ncc
                                                                                 : graph::Metric::euclidean;
  gnn.alpha = alpha_given ? alpha : static_cast<float>(model_default("--alpha", rec.alpha, 1.0));
  const bool mix_from_model = rec.mix && !args.value("--mix");
  if (mix_from_model) from_model += std::string(from_model.empty() ? "" : ", ") + "--mix " + *rec.mix;
  gnn.mix = args.get_choice("--mix", rec.mix.value_or("content"), {"content", "adain"}) == "adain"
                ? models::GraphOptions::Mix::adain
                : models::GraphOptions::Mix::content;
  const std::string dump_path = args.get("--dump-graph", "");
  const std::string explain_dir = args.get("--explain-dir", "");
  data::ImageLimits limits;
  limits.max_pixels = args.get_int("--max-pixels", limits.max_pixels, 1, INT64_MAX);
  limits.max_side = args.get_int("--max-side", limits.max_side, 1, INT64_MAX);
  args.finish();
  if (patch && patch % 2 == 0) throw std::invalid_argument("--patch " + std::to_string(patch) + ": must be odd");
  if ((!dump_path.empty() || !explain_dir.empty()) && method != "gnn")
    throw std::invalid_argument("--dump-graph and --explain-dir need --method gnn");
  const std::vector<std::pair<std::string, std::string>> inputs = {
      {"--model", model_path}, {"--content", content_path}, {"--style", style_path}};
  refuse_output_over_input("--out", out_path, inputs);
  if (!dump_path.empty()) refuse_output_over_input("--dump-graph", dump_path, inputs);

  const auto t0 = std::chrono::steady_clock::now();
  const Tensor content = data::load_image_sized(content_path, size, limits).unsqueeze(0);
  const Tensor style = data::load_image_sized(style_path, style_size, limits).unsqueeze(0);
  const models::Stylizer model = models::Stylizer::load(model_path);
  gnn.p = patch ? static_cast<int>(patch) : model.config().patch;
  const double t_load = seconds_since(t0);
  const bool inspect = !dump_path.empty() || !explain_dir.empty();
  models::GraphTrace trace;
  const Tensor out = method == "adain" ? model.stylize_adain(content, style, alpha)
                                       : model.stylize_gnn(content, style, gnn, inspect ? &trace : nullptr);
  const double t_run = seconds_since(t0) - t_load;
  data::save_image(out_path, out, quality);
  if (inspect) {
    models::GraphGeometry g;
    g.p = gnn.p;
    g.content_h = content.size(2);
    g.content_w = content.size(3);
    g.fc_h = trace.F1.size(2);
    g.fc_w = trace.F1.size(3);
    g.fs_h = (style.size(2) + 7) / 8;  // ceil-mode pools: relu4_1 is ceil(H/8)
    g.fs_w = (style.size(3) + 7) / 8;
    if (!dump_path.empty()) models::dump_graph(dump_path, trace, g, gnn);
    if (!explain_dir.empty()) models::write_explain_dir(explain_dir, models::explain_images(trace, g, style.select(0, 0)));
  }
  if (method == "gnn" && !from_model.empty()) std::printf("the model's recommended settings: %s\n", from_model.c_str());
  if (!explain_dir.empty())
    std::printf("explain images: %s/{scale_map,attention_entropy,correspondence}.png\n", explain_dir.c_str());
  if (!dump_path.empty()) std::printf("graph dump: %s\n", dump_path.c_str());
  std::printf("content %lldx%lld, style %lldx%lld; load %.2fs %s %.2fs -> %s\n", (long long)content.size(3),
              (long long)content.size(2), (long long)style.size(3), (long long)style.size(2), t_load, method.c_str(),
              t_run, out_path.c_str());
  return 0;
}

}  // namespace gs::tools
