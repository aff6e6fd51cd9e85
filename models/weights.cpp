#include "models/weights.h"

#include <map>
#include <stdexcept>

namespace gs::models {

data::NamedTensors load_graph_params(const std::string& path, const ModelConfig& config_in, InterFamily* family) {
  data::NamedTensors found;
  ModelConfig config = config_in;
  config.family = InterFamily::none;
  if (path.size() > 3 && path.compare(path.size() - 3, 3, ".h5") == 0) {
    const data::ModelFile file = data::load_model_file(path);
    config.family = file.config.family;
    for (const auto& [name, t] : file.params)
      if (name.rfind("scale.", 0) == 0 || name.rfind("inter.", 0) == 0 || name.rfind("intra.", 0) == 0)
        found.push_back({name, t});
  } else {
    for (const auto& [name, t] : data::load_pth_state_dict(path)) found.push_back({name, t});
  }
  data::check_parameters(found, graph_shapes(config), path + " (graph parameters: scale.*, inter.*, intra.*)");
  if (family) *family = config.family;
  data::NamedTensors ordered;
  for (const auto& [name, shape] : graph_shapes(config))
    for (const auto& [n, t] : found)
      if (n == name) ordered.push_back({n, t});
  return ordered;
}

data::NamedTensors assemble_params(const ModelConfig& config, const data::StateDict& encoder,
                                   const data::NamedTensors& graph, const data::StateDict& decoder,
                                   const std::string& source) {
  std::map<std::string, Tensor> all(encoder.begin(), encoder.end());
  for (const auto& [n, t] : graph) all[n] = t;
  for (const auto& [n, t] : decoder) all[n] = t;
  data::NamedTensors out;
  for (const auto& [name, shape] : parameter_shapes(config)) {
    auto it = all.find(name);
    if (it != all.end()) out.push_back({name, it->second});
  }
  data::NamedTensors given(all.begin(), all.end());
  data::check_parameters(given, parameter_shapes(config), source);
  return out;
}

}  // namespace gs::models
