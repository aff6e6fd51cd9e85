// Building a full parameter set from the files a user has: the released AdaIN encoder and decoder
// .pth files, and optionally a graph-parameter .pth (keys scale.*, inter.*, intra.* only).
#pragma once
#include <string>

#include "data/model_file.h"
#include "data/pth_file.h"
#include "models/config.h"  // InterFamily

namespace gs::models {

// The graph parameters of a .pth (or model file) for this config; every key is checked. A model file's
// own aggregator family (config.family is ignored) is part of them and is returned in *family.
data::NamedTensors load_graph_params(const std::string& path, const ModelConfig& config,
                                     InterFamily* family = nullptr);

// Every parameter in parameter_shapes(config) order, from the three parts; checked.
data::NamedTensors assemble_params(const ModelConfig& config, const data::StateDict& encoder,
                                   const data::NamedTensors& graph, const data::StateDict& decoder,
                                   const std::string& source);

}  // namespace gs::models
