// The stylization options that `stylize` and `evaluate` share: image sizes, alpha and the GNN
// controls, parsed in one place so that both commands stylize the same way.
#pragma once
#include <optional>
#include <string>

#include <graphstyle/graphstyle.hpp>

#include "tools/args.h"

namespace gs::tools {

struct StylizeOptions {
  std::string size, style_size;  // graphstyle::sized's forms ("512", "320x240", "0"), checked when parsed
  bool size_given = false, style_size_given = false;  // on the command line
  bool stylize_given = false;  // any option that only changes how images are stylized (alpha, mix, GNN)
  int patch = 0;               // --patch, 0 = the model's
  // The options a trained model may recommend (graphstyle::ModelInfo::recommended), when given.
  std::optional<double> alpha, stroke, mix;
  std::optional<int64_t> k, kc;
  bool deformable = true;
  std::optional<graphstyle::Aggregator> aggregator;  // when given; else the model's (its family, or gat)
  graphstyle::Metric metric = graphstyle::Metric::ncc;
  graphstyle::Knn knn = graphstyle::Knn::exact;
  graphstyle::Precision precision = graphstyle::Precision::fp32;
  graphstyle::ImageLimits limits;

  // The API's options for a model and method: what was given, else the model's defaults (its patch
  // size and recommended settings). AdaIN takes only alpha, as given or 1 (a model's recommendation
  // is for its GNN).
  graphstyle::StylizeOptions for_model(const graphstyle::Model& model, graphstyle::Method method) const;
  // "--alpha 0.7, --mix 1": the settings for_model takes from the model, for saying so.
  std::string from_model(const graphstyle::Model& model) const;
};

// --size, --style-size, --alpha, --mix, --k, --kc, --patch, --stroke, --deformable, --aggregator, --metric, --knn,
// --precision, --max-pixels, --max-side. `default_size` is --size's default.
StylizeOptions parse_stylize_options(Args& args, const std::string& default_size);

// --mix's value: a number in [0, 1], or content (0) or adain (1).
double parse_mix(const std::string& text);

// --precision fp32|bf16 (default fp32).
graphstyle::Precision parse_precision(Args& args);

// The usage lines of those options (the --size line says default_size).
std::string stylize_options_usage(const std::string& default_size);

// An image file at one of the size forms (`option` names the form in errors).
graphstyle::Image load_sized(const std::string& path, const std::string& size, const graphstyle::ImageLimits& limits,
                             const std::string& option = "--size");

}  // namespace gs::tools
