// What defines a graphstyle model besides its weights: the encoder layout, the decoder's upsampling,
// the graph-stage hyper-parameters, and the widths. From a config follow the canonical parameter
// names and shapes (MODEL.md 5), which the model file, the .pth importers and checkpoints all use.
#pragma once
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "arch/network.h"
#include "tensor/tensor.h"

namespace gs::models {

enum class EncoderLayout { vgg_normalised, torchvision };
enum class UpsampleMode { nearest, bilinear };
// The inter-domain parameter family beyond MODEL.md a model was trained with (README "Aggregators
// beyond MODEL.md"): none, or inter.gin.*, inter.edgeconv.* or inter.sage.*. It is part of the
// configuration rather than inferred from the parameter names so that the expected names and shapes
// follow from the config alone, as for every other parameter: a file's params are checked against
// parameter_shapes(config), and a missing or extra family tensor is named in the error.
enum class InterFamily { none, gin, edgeconv, sage };

struct ModelConfig {
  EncoderLayout encoder = EncoderLayout::vgg_normalised;
  UpsampleMode upsample = UpsampleMode::nearest;
  int patch = 5;                                // p, odd; can be changed at inference (MODEL.md 2.6)
  int64_t d = 64;                               // attention dimension
  int64_t scale_hidden = 128;                   // scale predictor's hidden channels
  float s_min = 0.5f, s_max = 2.0f;             // scale range (MODEL.md 2.4)
  std::array<int64_t, 4> widths = arch::kReleasedWidths;  // encoder block widths; C = widths[3]
  InterFamily family = InterFamily::none;       // the model file's root attribute inter_family (absent: none)

  int64_t channels() const { return widths[3]; }
};

std::string to_string(EncoderLayout layout);
std::string to_string(UpsampleMode mode);
EncoderLayout parse_encoder_layout(const std::string& text);  // errors name the accepted values
UpsampleMode parse_upsample_mode(const std::string& text);
std::string to_string(InterFamily family);           // "none", "gin", "edgeconv", "sage"
InterFamily parse_inter_family(const std::string& text);

// The encoder convolutions in order, e.g. {"conv1_1", "conv1_2", ...}; conv0 only for vgg_normalised.
std::vector<std::string> encoder_conv_names(EncoderLayout layout);
const std::vector<std::string>& decoder_conv_names();  // dec4_1 ... dec1_1

using ParameterShapes = std::vector<std::pair<std::string, Shape>>;
// Every parameter of the model, canonical name and shape, in a fixed order.
ParameterShapes parameter_shapes(const ModelConfig& config);
ParameterShapes encoder_shapes(const ModelConfig& config);
ParameterShapes graph_shapes(const ModelConfig& config);   // scale.*, inter.*, intra.*, then the family's
ParameterShapes family_shapes(int64_t channels, InterFamily family);  // inter.<family>.*; none: empty
ParameterShapes decoder_shapes(const ModelConfig& config);

}  // namespace gs::models
