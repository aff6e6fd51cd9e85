#include "tools/stylize_options.h"

#include <cstdio>
#include <stdexcept>
#include <string>

namespace gs::tools {

models::GraphOptions StylizeOptions::graph_options(const models::ModelConfig& config,
                                                   const data::RecommendedSettings& rec, std::string* from_model) const {
  std::string note;
  auto pick = [&](const char* option, const auto& given, const auto& recommended, double fallback) {
    if (given) return double(*given);
    if (!recommended) return fallback;
    char text[32];
    std::snprintf(text, sizeof text, "%g", double(*recommended));
    note += std::string(note.empty() ? "" : ", ") + option + " " + text;
    return double(*recommended);
  };
  models::GraphOptions g;
  g.p = patch ? patch : config.patch;
  g.k = static_cast<int>(pick("--k", k, rec.k, 5));
  g.kc = static_cast<int>(pick("--kc", kc, rec.kc, 5));
  g.stroke = static_cast<float>(pick("--stroke", stroke, rec.stroke, 1.0));
  g.alpha = static_cast<float>(pick("--alpha", alpha, rec.alpha, 1.0));
  std::string mix_name = "content";
  if (mix) {
    mix_name = *mix;
  } else if (rec.mix) {
    mix_name = *rec.mix;
    note += std::string(note.empty() ? "" : ", ") + "--mix " + mix_name;
  }
  if (mix_name != "content" && mix_name != "adain")
    throw std::invalid_argument("the model's recommended mix '" + mix_name + "' is not content or adain");
  g.mix = mix_name == "adain" ? models::GraphOptions::Mix::adain : models::GraphOptions::Mix::content;
  g.deformable = deformable;
  g.aggregator = aggregator;
  g.metric = metric;
  if (from_model) *from_model = note;
  return g;
}

StylizeOptions parse_stylize_options(Args& args, const std::string& default_size) {
  StylizeOptions o;
  const auto size_text = args.value("--size");
  o.size = data::parse_size(size_text.value_or(default_size), "--size");
  const auto style_size_text = args.value("--style-size");
  o.style_size = style_size_text ? data::parse_size(*style_size_text, "--style-size") : o.size;
  o.size_given = size_text.has_value();
  o.style_size_given = style_size_text.has_value();
  for (const char* name : {"--alpha", "--mix", "--k", "--kc", "--patch", "--stroke", "--deformable", "--aggregator", "--metric"})
    if (args.value(name)) o.stylize_given = true;
  if (args.value("--alpha")) o.alpha = args.get_double("--alpha", 1.0, 0.0, 1.0);
  if (args.value("--mix")) o.mix = args.get_choice("--mix", "content", {"content", "adain"});
  if (args.value("--k")) o.k = args.get_int("--k", 5, 1, 64);
  if (args.value("--kc")) o.kc = args.get_int("--kc", 5, 0, 64);
  o.patch = static_cast<int>(args.get_int("--patch", 0, 1, 15));  // 0: the model's
  if (o.patch && o.patch % 2 == 0) throw std::invalid_argument("--patch " + std::to_string(o.patch) + ": must be odd");
  if (args.value("--stroke")) o.stroke = args.get_double("--stroke", 1.0, 1e-3, 100.0);
  o.deformable = args.get_on_off("--deformable", true);
  o.aggregator = graph::parse_aggregator(args.get_choice("--aggregator", "gat", {"gat", "mean"}));
  o.metric = args.get_choice("--metric", "ncc", {"ncc", "euclidean"}) == "ncc" ? graph::Metric::ncc
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
         "  --alpha A           stylization strength in [0, 1] (the model's recommendation, else 1)\n"
         "  --mix content|adain (1 - alpha) mixes in the content features (content, MODEL.md) or AdaIN(Fc, Fs)\n"
         "GNN controls (MODEL.md 2, 6; a trained model file recommends k, kc, stroke, alpha and mix):\n"
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
