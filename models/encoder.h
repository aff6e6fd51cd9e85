// The frozen loss network: VGG-19 up to relu4_1 (MODEL.md 1), in the AdaIN release's
// "vgg_normalised" layout (1x1 conv0 maps RGB [0,1] to BGR x255 minus the mean; reflection padding)
// or torchvision's layout (ImageNet mean/std normalisation, zero padding, no conv0).
// Both use 2x2 ceil-mode max-pools, so odd image sizes round up (torchvision's own pools floor; the
// two agree whenever the sides are multiples of 8).
#pragma once
#include <string>
#include <vector>

#include "autograd/variable.h"
#include "models/config.h"
#include "nn/module.h"

namespace gs::models {

// x: [N,3,H,W] RGB in [0,1] -> the relu outputs named in `layers` (1..4 for relu1_1..relu4_1), in
// that order; the network runs only as far as the deepest one asked for.
std::vector<ag::Variable> encode(const nn::Module& params, const ModelConfig& config, const ag::Variable& x,
                                 const std::vector<int>& layers);

// x: [N,3,H,W] -> relu4_1 [N,C,ceil(H/8),ceil(W/8)]. When no gradient can be asked for (grad mode
// off, or neither x nor an encoder weight requires one) this runs models/inference.h's encoder:
// the same numbers, faster, and in strips on large images.
ag::Variable encode_relu4_1(const nn::Module& params, const ModelConfig& config, const ag::Variable& x);

// Whether an op on x with the parameters named prefix* must record the autograd graph.
bool needs_graph(const nn::Module& params, const std::string& prefix, const ag::Variable& x);

}  // namespace gs::models
