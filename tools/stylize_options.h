// The stylization options that `stylize` and `evaluate` share: image sizes, alpha and the GNN
// controls, parsed in one place so that both commands stylize the same way.
#pragma once
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
  models::GraphOptions gnn;  // what was not given: resolved per model by graph_options()
  int patch = 0;             // --patch, 0 = the model's
  // The options a trained model may recommend (data::RecommendedSettings), when given.
  std::optional<double> alpha, stroke, mix;
  std::optional<int64_t> k, kc;
  data::ImageLimits limits;

  // The GNN options for a model: what was given, else the model's recommended settings, else the
  // defaults (MODEL.md's); the model's own patch size unless --patch was given.
  models::GraphOptions graph_options(const models::ModelConfig& config, const data::RecommendedSettings& rec) const;
  // AdaIN's alpha: as given, else 1 (a model's recommendation is for its GNN).
  float adain_alpha() const { return alpha ? static_cast<float>(*alpha) : 1.f; }
  // "--alpha 0.7, --mix adain": the settings graph_options takes from the model, for saying so.
  std::string from_model(const data::RecommendedSettings& rec) const;
};

// --size, --style-size, --alpha, --mix, --k, --kc, --patch, --stroke, --deformable, --aggregator, --metric,
// --max-pixels, --max-side. `default_size` is --size's default.
StylizeOptions parse_stylize_options(Args& args, const std::string& default_size);

// --mix's value: a number in [0, 1], or content (0) or adain (1).
double parse_mix(const std::string& text);

// The usage lines of those options (the --size line says default_size).
std::string stylize_options_usage(const std::string& default_size);

}  // namespace gs::tools
