#include "tools/stylize_options.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace gs::tools {

models::GraphOptions StylizeOptions::graph_options(const models::ModelConfig& config,
                                                   const data::RecommendedSettings& rec) const {
  models::GraphOptions g = gnn;
  g.p = patch ? patch : config.patch;
  g.alpha = static_cast<float>(alpha.value_or(rec.alpha.value_or(1.0)));
  g.stroke = static_cast<float>(stroke.value_or(rec.stroke.value_or(1.0)));
  g.k = static_cast<int>(k.value_or(rec.k.value_or(5)));
  g.kc = static_cast<int>(kc.value_or(rec.kc.value_or(5)));
  g.mix = static_cast<float>(mix.value_or(rec.mix.value_or(0.0)));
  return g;
}

std::string StylizeOptions::from_model(const data::RecommendedSettings& rec) const {
  std::string out;
  auto add = [&](const std::string& option, const std::string& value) {
    out += (out.empty() ? "" : ", ") + option + " " + value;
  };
  auto number = [](double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", v);
    return std::string(text);
  };
  if (!alpha && rec.alpha) add("--alpha", number(*rec.alpha));
  if (!mix && rec.mix) add("--mix", number(*rec.mix));
  if (!k && rec.k) add("--k", number(double(*rec.k)));
  if (!kc && rec.kc) add("--kc", number(double(*rec.kc)));
  if (!stroke && rec.stroke) add("--stroke", number(*rec.stroke));
  return out;
}

double parse_mix(const std::string& text) {
  if (text == "content") return 0.0;
  if (text == "adain") return 1.0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(v >= 0.0 && v <= 1.0))
    throw std::invalid_argument("option --mix " + text + ": expected a number in [0, 1], content (0) or adain (1)");
  return v;
}

StylizeOptions parse_stylize_options(Args& args, const std::string& default_size) {
  StylizeOptions o;
  const auto size_text = args.value("--size");
  o.size = data::parse_size(size_text.value_or(default_size), "--size");
  const auto style_size_text = args.value("--style-size");
  o.size_given = size_text.has_value();
  o.style_size_given = style_size_text.has_value();
  o.style_size = style_size_text ? data::parse_size(*style_size_text, "--style-size") : o.size;
  for (const char* name : {"--alpha", "--mix", "--k", "--kc", "--patch", "--stroke", "--deformable", "--aggregator", "--metric"})
    if (args.value(name)) o.stylize_given = true;
  if (args.value("--alpha")) o.alpha = args.get_double("--alpha", 1.0, 0.0, 1.0);
  if (auto m = args.value("--mix")) o.mix = parse_mix(*m);
  if (args.value("--k")) o.k = args.get_int("--k", 5, 1, 64);
  if (args.value("--kc")) o.kc = args.get_int("--kc", 5, 0, 64);
  o.patch = static_cast<int>(args.get_int("--patch", 0, 1, 15));  // 0: the model's
  if (o.patch && o.patch % 2 == 0) throw std::invalid_argument("--patch " + std::to_string(o.patch) + ": must be odd");
  if (args.value("--stroke")) o.stroke = args.get_double("--stroke", 1.0, 1e-3, 100.0);
  o.gnn.deformable = args.get_on_off("--deformable", true);
  o.gnn.aggregator = graph::parse_aggregator(args.get_choice("--aggregator", "gat", {"gat", "mean"}));
  o.gnn.metric = args.get_choice("--metric", "ncc", {"ncc", "euclidean"}) == "ncc" ? graph::Metric::ncc
                                                                                   : graph::Metric::euclidean;
  o.limits.max_pixels = args.get_int("--max-pixels", o.limits.max_pixels, 1, INT64_MAX);
  o.limits.max_side = args.get_int("--max-side", o.limits.max_side, 1, INT64_MAX);
  return o;
}

std::string stylize_options_usage(const std::string& default_size) {
  return "  --size N            content size: shorter side N (rounded to a multiple of 8), WxH, or 0 = as is (" +
         default_size +
         ")\n"
         "  --style-size N      style size, same forms (default: --size)\n"
         "  --alpha A           stylization strength in [0, 1] (the model's recommended, else 1)\n"
         "GNN controls (MODEL.md 2, 6; a trained model file recommends alpha, mix, k, kc and stroke):\n"
         "  --mix M             (1 - alpha) mixes in (1 - M) Fc + M AdaIN(Fc, Fs): 0 (content, MODEL.md) .. 1\n"
         "                      (adain); the model's recommended, else 0\n"
         "  --k K               style neighbours per content patch, 1..64 (5)\n"
         "  --kc K              content neighbours per content patch, 0 = no intra-domain stage (5)\n"
         "  --patch P           patch size at relu4_1, odd (the model's, 5)\n"
         "  --stroke X          multiplies every deformable scale (1)\n"
         "  --deformable on|off deformable patch sampling (on)\n"
         "  --aggregator gat|mean  attention, or the mean of the neighbours (gat)\n"
         "  --metric ncc|euclidean  k-NN similarity for the style neighbours (ncc)\n"
         "  --max-pixels N      refuse larger input images (64000000); --max-side N likewise (16384)\n";
}

}  // namespace gs::tools
