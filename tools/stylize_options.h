// The stylization options that `stylize` and `evaluate` share: image sizes, alpha, the mix and the
// GNN controls, parsed in one place so that both commands stylize the same way. A trained model file
// carries recommended settings (data/model_file.h); options given on the command line win over them.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "data/image.h"
#include "data/model_file.h"
#include "models/config.h"
#include "models/graph_stage.h"
#include "tools/args.h"

namespace gs::tools {

struct StylizeOptions {
  data::SizeSpec size, style_size;
  bool size_given = false, style_size_given = false;  // on the command line
  bool stylize_given = false;  // any option that only changes how images are stylized (alpha, mix, GNN)
  // Given on the command line, else the model's recommendation, else the default.
  std::optional<double> alpha, stroke;
  std::optional<int64_t> k, kc;
  std::optional<std::string> mix;
  int patch = 0;  // --patch, 0 = the model's
  bool deformable = true;
  graph::Aggregator aggregator = graph::Aggregator::gat;
  graph::Metric metric = graph::Metric::ncc;
  data::ImageLimits limits;

  // The GNN options for one model. from_model (if given) receives the settings taken from the
  // model's recommendations, e.g. "--k 7, --alpha 0.8" (empty when none).
  models::GraphOptions graph_options(const models::ModelConfig& config, const data::RecommendedSettings& recommended,
                                     std::string* from_model = nullptr) const;
  // AdaIN's alpha: the command line's or 1 (a model's recommendation is for its GNN).
  float adain_alpha() const { return static_cast<float>(alpha.value_or(1.0)); }
};

// --size, --style-size, --alpha, --mix, --k, --kc, --patch, --stroke, --deformable, --aggregator,
// --metric, --max-pixels, --max-side. `default_size` is --size's default.
StylizeOptions parse_stylize_options(Args& args, const std::string& default_size);

// The usage lines of those options (the --size line says default_size).
std::string stylize_options_usage(const std::string& default_size);

}  // namespace gs::tools
