// The model a new training run starts from (MODEL.md 4): the frozen encoder from the released VGG
// weights (or from a model file), the graph parameters at MODEL.md's initialisation and the decoder at
// PyTorch's default initialisation (both seeded), unless files are given for them.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "models/config.h"
#include "models/stylizer.h"

namespace gs::train {

struct ModelSources {
  std::string vgg;           // --vgg: vgg_normalised.pth or a torchvision vgg19 .pth
  std::string model;         // --model: a model file whose encoder and configuration are used (instead of --vgg)
  std::string decoder;       // --init-decoder: decoder.pth or a model file; "" = PyTorch's default init
  std::string graph;         // --init-graph: graph parameters (.pth or model file); "" = MODEL.md's init
  std::optional<int> patch;  // override the configuration's (default 5, or the --model file's)
  std::optional<models::UpsampleMode> upsample;
  uint64_t seed = 0;
  // The aggregator family the run trains (none for gat and mean). A graph without one gets it at its
  // initialisation (models/init.h); a graph with another family is an OptionError("aggregator").
  models::InterFamily family = models::InterFamily::none;
};

struct InitialModel {
  models::Stylizer model;
  std::string description;  // "encoder vgg_normalised.pth, decoder PyTorch init (seed 0), graph MODEL.md init (seed 0)"
};

// Errors (graphstyle::OptionError) name the field whose file is missing or wrong: vgg, model, init_decoder, init_graph.
InitialModel initial_model(const ModelSources& sources);

}  // namespace gs::train
