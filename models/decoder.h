// The AdaIN decoder (MODEL.md 3): a mirror of the encoder, every conv 3x3 with reflection padding,
// x2 upsampling (nearest or bilinear, part of the model) after dec4_1, dec3_1 and dec2_1.
#pragma once
#include "autograd/variable.h"
#include "models/config.h"
#include "nn/module.h"

namespace gs::models {

// t: [N,C,h,w] -> [N,3,8h,8w], not clamped (clamping happens only when writing an image). Without
// a gradient to record this runs models/inference.h's decoder (the same numbers, in strips on
// large images).
ag::Variable decode(const nn::Module& params, const ModelConfig& config, const ag::Variable& t);
// The same as autograd ops, whatever the grad mode (what decode runs when a gradient may be asked for).
ag::Variable decode_layers(const nn::Module& params, const ModelConfig& config, const ag::Variable& t);

}  // namespace gs::models
