// The frozen loss network: VGG-19 up to relu4_1 (MODEL.md 1), in the AdaIN release's
// "vgg_normalised" layout (1x1 conv0 maps RGB [0,1] to BGR x255 minus the mean; reflection padding)
// or torchvision's layout (ImageNet mean/std normalisation, zero padding, no conv0).
// Both use 2x2 ceil-mode max-pools, so odd image sizes round up (torchvision's own pools floor; the
// two agree whenever the sides are multiples of 8).
#pragma once
#include <vector>

#include "autograd/variable.h"
#include "models/config.h"
#include "nn/module.h"

namespace gs::models {

// x: [N,3,H,W] RGB in [0,1] -> the relu outputs named in `layers` (1..4 for relu1_1..relu4_1), in
// that order; the network runs only as far as the deepest one asked for.
std::vector<ag::Variable> encode(const nn::Module& params, const ModelConfig& config, const ag::Variable& x,
                                 const std::vector<int>& layers);

// x: [N,3,H,W] -> relu4_1 [N,C,ceil(H/8),ceil(W/8)]
ag::Variable encode_relu4_1(const nn::Module& params, const ModelConfig& config, const ag::Variable& x);

}  // namespace gs::models
