// The stylization options that `stylize` and `evaluate` share: image sizes, alpha and the GNN
// controls, parsed in one place so that both commands stylize the same way.
#pragma once
#include "data/image.h"
#include "models/config.h"
#include "models/graph_stage.h"
#include "tools/args.h"

namespace gs::tools {

struct StylizeOptions {
  data::SizeSpec size, style_size;
  bool size_given = false, style_size_given = false;  // on the command line
  float alpha = 1.f;
  models::GraphOptions gnn;  // gnn.alpha = alpha; gnn.p is set per model by graph_options()
  int patch = 0;             // --patch, 0 = the model's
  data::ImageLimits limits;

  // The GNN options for a model: its own patch size unless --patch was given.
  models::GraphOptions graph_options(const models::ModelConfig& config) const;
};

// --size, --style-size, --alpha, --k, --kc, --patch, --stroke, --deformable, --aggregator, --metric,
// --max-pixels, --max-side. `default_size` is --size's default.
StylizeOptions parse_stylize_options(Args& args, const std::string& default_size);

// The usage lines of those options (the --size line says default_size).
std::string stylize_options_usage(const std::string& default_size);

}  // namespace gs::tools
