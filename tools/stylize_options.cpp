#include "tools/stylize_options.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace gs::tools {

graphstyle::StylizeOptions StylizeOptions::for_model(const graphstyle::Model& model, graphstyle::Method method) const {
  graphstyle::StylizeOptions o = model.default_options();
  o.method = method;
  o.precision = precision;
  if (method == graphstyle::Method::adain) {
    o.alpha = alpha ? static_cast<float>(*alpha) : 1.f;
    return o;
  }
  if (patch) o.patch = patch;
  if (alpha) o.alpha = static_cast<float>(*alpha);
  if (stroke) o.stroke = static_cast<float>(*stroke);
  if (k) o.k = static_cast<int>(*k);
  if (kc) o.kc = static_cast<int>(*kc);
  if (mix) o.mix = static_cast<float>(*mix);
  o.deformable = deformable;
  if (aggregator) o.aggregator = *aggregator;
  o.metric = metric;
  o.knn = knn;
  return o;
}

std::string StylizeOptions::from_model(const graphstyle::Model& model) const {
  const graphstyle::StylizeOptions d = model.default_options();
  const std::vector<std::string> recommended = model.info().recommended;
  auto is_recommended = [&](const char* field) {
    return std::find(recommended.begin(), recommended.end(), field) != recommended.end();
  };
  std::string out;
  auto add = [&](const char* field, bool given, double value) {
    if (given || !is_recommended(field)) return;
    char text[48];
    std::snprintf(text, sizeof text, "--%s %g", field, value);
    out += (out.empty() ? "" : ", ") + std::string(text);
  };
  add("alpha", alpha.has_value(), d.alpha);
  add("mix", mix.has_value(), d.mix);
  add("k", k.has_value(), d.k);
  add("kc", kc.has_value(), d.kc);
  add("stroke", stroke.has_value(), d.stroke);
  if (!aggregator && d.aggregator != graphstyle::Aggregator::gat)  // the model's own family
    out += (out.empty() ? "" : ", ") + std::string("--aggregator ") + graphstyle::to_string(d.aggregator);
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
  const auto style_size_text = args.value("--style-size");
  o.size = size_text.value_or(default_size);
  o.style_size = style_size_text.value_or(o.size);
  o.size_given = size_text.has_value();
  o.style_size_given = style_size_text.has_value();
  graphstyle::sized(1, 1, o.size, "--size");  // a malformed form is refused now, before any work
  if (style_size_text) graphstyle::sized(1, 1, o.style_size, "--style-size");
  for (const char* name : {"--alpha", "--mix", "--k", "--kc", "--patch", "--stroke", "--deformable", "--aggregator", "--metric", "--knn"})
    if (args.value(name)) o.stylize_given = true;
  if (args.value("--alpha")) o.alpha = args.get_double("--alpha", 1.0, 0.0, 1.0);
  if (auto m = args.value("--mix")) o.mix = parse_mix(*m);
  if (args.value("--k")) o.k = args.get_int("--k", 5, 1, 64);
  if (args.value("--kc")) o.kc = args.get_int("--kc", 5, 0, 64);
  o.patch = static_cast<int>(args.get_int("--patch", 0, 1, 15));  // 0: the model's
  if (o.patch && o.patch % 2 == 0) throw std::invalid_argument("--patch " + std::to_string(o.patch) + ": must be odd");
  if (args.value("--stroke")) o.stroke = args.get_double("--stroke", 1.0, 1e-3, 100.0);
  o.deformable = args.get_on_off("--deformable", true);
  if (args.value("--aggregator"))
    o.aggregator = graphstyle::parse_aggregator(
        args.get_choice("--aggregator", "gat", {"gat", "mean", "gin", "edgeconv", "sage"}), "--aggregator");
  o.metric = args.get_choice("--metric", "ncc", {"ncc", "euclidean"}) == "ncc" ? graphstyle::Metric::ncc
                                                                              : graphstyle::Metric::euclidean;
  o.knn = args.get_choice("--knn", "exact", {"exact", "approximate"}) == "exact" ? graphstyle::Knn::exact
                                                                                : graphstyle::Knn::approximate;
  o.precision = parse_precision(args);
  o.limits.max_pixels = args.get_int("--max-pixels", o.limits.max_pixels, 1, INT64_MAX);
  o.limits.max_side = args.get_int("--max-side", o.limits.max_side, 1, INT64_MAX);
  return o;
}

graphstyle::Precision parse_precision(Args& args) {
  return args.get_choice("--precision", "fp32", {"fp32", "bf16"}) == "bf16" ? graphstyle::Precision::bf16
                                                                            : graphstyle::Precision::fp32;
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
         "  --aggregator A      style -> content aggregation: gat (attention), mean, or gin, edgeconv,\n"
         "                      sage for a model trained with them (the model's: gat, or its family)\n"
         "  --metric ncc|euclidean  k-NN similarity for the style neighbours (ncc)\n"
         "  --knn exact|approximate  exact k-NN, or a faster candidate search for large images (exact;\n"
         "                      the same edges up to about 1024 x 1024, see README)\n"
         "  --precision fp32|bf16  the encoder's and decoder's convolutions; bf16 is faster on AVX512-BF16\n"
         "                      CPUs (README: its difference from fp32); the graph stage stays fp32 (fp32)\n"
         "  --max-pixels N      refuse larger input images (64000000); --max-side N likewise (16384)\n";
}

graphstyle::Image load_sized(const std::string& path, const std::string& size, const graphstyle::ImageLimits& limits,
                             const std::string& option) {
  const graphstyle::Image image = graphstyle::load_image(path, limits);
  const graphstyle::ImageSize to = graphstyle::sized(image.width, image.height, size, option);
  return graphstyle::resize(image, to.width, to.height);
}

}  // namespace gs::tools
