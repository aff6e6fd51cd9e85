#include "graphstyle/error.hpp"
#include "train/initial_model.h"

#include <map>
#include <stdexcept>

#include "data/released_weights.h"
#include "models/init.h"
#include "models/weights.h"

namespace gs::train {

namespace {
bool is_model_file(const std::string& path) { return path.size() > 3 && path.compare(path.size() - 3, 3, ".h5") == 0; }

// The params of a model file whose names start with `prefix`.
data::StateDict params_with_prefix(const data::ModelFile& file, const std::string& prefix) {
  data::StateDict out;
  for (const auto& [name, t] : file.params)
    if (name.rfind(prefix, 0) == 0) out[name] = t;
  return out;
}

// Runs `load`; an error names the source field the file came from.
template <typename Load>
auto from_option(const std::string& field, const std::string& path, Load load) {
  try {
    return load();
  } catch (const std::exception& e) {
    throw graphstyle::OptionError(field, field + " " + path + ": " + e.what(), graphstyle::ErrorCode::file);
  }
}
}  // namespace

InitialModel initial_model(const ModelSources& src) {
  if (src.vgg.empty() == src.model.empty())
    throw graphstyle::OptionError(src.vgg.empty() ? "vgg" : "model", "give the encoder with exactly one of vgg (a VGG .pth) and model (a model file)");
  models::ModelConfig config;
  data::StateDict encoder;
  std::string description;
  if (!src.model.empty()) {
    const data::ModelFile file = from_option("model", src.model, [&] { return data::load_model_file(src.model); });
    config = file.config;
    encoder = params_with_prefix(file, "encoder.");
    description = "encoder from " + src.model;
  } else {
    encoder = from_option("vgg", src.vgg, [&] { return data::load_encoder_weights(src.vgg); });
    config.encoder = encoder.count("encoder.conv0.weight") ? models::EncoderLayout::vgg_normalised
                                                           : models::EncoderLayout::torchvision;
    description = "encoder " + src.vgg;
  }
  if (src.patch) config.patch = *src.patch;
  if (src.upsample) config.upsample = *src.upsample;

  data::StateDict decoder;
  if (src.decoder.empty()) {
    // Its own stream of the seed: the decoder's draws should not repeat the graph parameters'.
    for (const auto& [name, t] : models::init_decoder_params(config, src.seed + 1)) decoder[name] = t;
    description += ", decoder PyTorch init (seed " + std::to_string(src.seed) + ")";
  } else {
    decoder = from_option("init_decoder", src.decoder, [&] {
      return is_model_file(src.decoder) ? params_with_prefix(data::load_model_file(src.decoder), "decoder.")
                                        : data::load_decoder_weights(src.decoder);
    });
    description += ", decoder " + src.decoder;
  }
  data::NamedTensors graph;
  config.family = models::InterFamily::none;  // the graph parameters' own, below
  if (src.graph.empty()) {
    graph = models::init_graph_params(config, src.seed);
    description += ", graph MODEL.md init (seed " + std::to_string(src.seed) + ")";
  } else {
    graph = from_option("init_graph", src.graph, [&] { return models::load_graph_params(src.graph, config, &config.family); });
    description += ", graph " + src.graph;
  }
  if (src.family != models::InterFamily::none && src.family != config.family) {
    if (config.family != models::InterFamily::none)
      throw graphstyle::OptionError("aggregator", "aggregator " + models::to_string(src.family) + ": init_graph " +
                                                      src.graph + " has the parameters of aggregator " +
                                                      models::to_string(config.family) + " (a model holds one family)");
    config.family = src.family;
    for (auto& p : models::init_family_params(config.channels(), config.family)) graph.push_back(std::move(p));
    description += ", inter." + models::to_string(config.family) + ".* initialised";
  }
  const data::NamedTensors params = models::assemble_params(config, encoder, graph, decoder, description);
  return {models::Stylizer(config, params), description};
}

}  // namespace gs::train
