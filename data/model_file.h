// The project's model file (HDF5): one float32 dataset per canonical parameter name under
// `params/`, and the configuration as root attributes (format, format_version, encoder_layout,
// upsample, patch, d, scale_hidden, s_min, s_max, widths, and inter_family for a model with an
// aggregator family beyond MODEL.md). Loading checks every name, shape and dtype
// against the configuration and names what is missing, extra or wrong. Writes are atomic.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "arch/config.h"
#include "tensor/tensor.h"

namespace gs::data {

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

// Settings chosen for a trained model on the held-out set (root attributes recommended_alpha, _k,
// _kc, _stroke, _mix), which stylize uses unless told otherwise. Files of untrained parameters have none.
struct RecommendedSettings {
  std::optional<double> alpha, stroke, mix;
  std::optional<int64_t> k, kc;
};

struct ModelFile {
  models::ModelConfig config;
  NamedTensors params;  // in parameter_shapes(config) order
  RecommendedSettings recommended;
};

constexpr int64_t kModelFormatVersion = 1;

void save_model_file(const std::string& path, const models::ModelConfig& config, const NamedTensors& params,
                     const RecommendedSettings& recommended = {});
ModelFile load_model_file(const std::string& path);
// Only the recommended settings, without reading the weights.
RecommendedSettings load_recommended_settings(const std::string& model_path);

// The two halves, for files that hold a model and more (training checkpoints).
class H5File;
void write_model(H5File& file, const models::ModelConfig& config, const NamedTensors& params);
ModelFile read_model(const H5File& file);

// Trained weights without the encoder (the released VGG is not ours to ship): the graph and decoder
// parameters in graph_shapes + decoder_shapes order, stored as float32 or half, with the configuration,
// the recommended settings and a line on where they came from. `graphstyle convert --trained` joins
// them with an encoder into a model file.
struct TrainedWeights {
  models::ModelConfig config;
  NamedTensors params;
  RecommendedSettings recommended;
  std::string provenance;
};
void save_trained_weights(const std::string& path, const TrainedWeights& weights, bool half);
TrainedWeights load_trained_weights(const std::string& path);

// Throws naming `source` and the tensor when `t` holds a NaN or an infinity.
void check_finite(const std::string& source, const std::string& name, const Tensor& t);

// Checks a set of named tensors against the expected names and shapes; `source` names the file in
// the error. Missing, extra and mis-shaped tensors are all listed in one message.
void check_parameters(const NamedTensors& params, const models::ParameterShapes& expected, const std::string& source);
// The same check on names and shapes alone, before anything is read.
void check_parameter_shapes(const models::ParameterShapes& params, const models::ParameterShapes& expected,
                            const std::string& source);

}  // namespace gs::data
