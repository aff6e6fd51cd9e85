// The project's model file (HDF5): one float32 dataset per canonical parameter name under
// `params/`, and the configuration as root attributes (format, format_version, encoder_layout,
// upsample, patch, d, scale_hidden, s_min, s_max, widths). Loading checks every name, shape and dtype
// against the configuration and names what is missing, extra or wrong. Writes are atomic.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "models/config.h"
#include "tensor/tensor.h"

namespace gs::data {

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

struct ModelFile {
  models::ModelConfig config;
  NamedTensors params;  // in parameter_shapes(config) order
};

constexpr int64_t kModelFormatVersion = 1;

void save_model_file(const std::string& path, const models::ModelConfig& config, const NamedTensors& params);
ModelFile load_model_file(const std::string& path);

// The two halves, for files that hold a model and more (training checkpoints).
class H5File;
void write_model(H5File& file, const models::ModelConfig& config, const NamedTensors& params);
ModelFile read_model(const H5File& file);

// Checks a set of named tensors against the expected names and shapes; `source` names the file in
// the error. Missing, extra and mis-shaped tensors are all listed in one message.
// Throws naming `source` and the tensor when `t` holds a NaN or an infinity.
void check_finite(const std::string& source, const std::string& name, const Tensor& t);

void check_parameters(const NamedTensors& params, const models::ParameterShapes& expected, const std::string& source);
// The same check on names and shapes alone, before anything is read.
void check_parameter_shapes(const models::ParameterShapes& params, const models::ParameterShapes& expected,
                            const std::string& source);

}  // namespace gs::data
