// The released pretrained weights come in nn.Sequential layouts ("0.weight", "features.2.weight");
// the project names every parameter canonically (MODEL.md section 5: "encoder.conv1_1.weight",
// "decoder.dec4_1.bias"). These functions map one to the other, check every shape against the
// real model, and say which layout a file is in when it is not the expected one.
#pragma once
#include <string>

#include "data/pth_file.h"
#include "tensor/tensor.h"

namespace gs::data {

enum class WeightLayout {
  vgg_normalised,     // AdaIN's vgg_normalised.pth: 0, 2, 5, 9, ... 29 (conv0 .. conv4_1), maybe more
  adain_decoder,      // AdaIN's decoder.pth: 1, 5, 8, ... 28 (dec4_1 .. dec1_1)
  torchvision_vgg19,  // torchvision's vgg19: features.0 .. features.19 (conv1_1 .. conv4_1), no conv0
  canonical,          // the project's names: encoder.*, decoder.*, scale.*, inter.*, intra.*
  unknown,
};

// The layout of a state dict, from its key names.
WeightLayout detect_layout(const StateDict& state);
// "a vgg_normalised state dict (keys 0.weight, 2.weight, ...)", for messages.
std::string describe_layout(WeightLayout layout);

// Shape the real model expects for a canonical encoder or decoder parameter
// ("encoder.conv1_1.weight" -> [64, 3, 3, 3]); throws std::invalid_argument for other names.
Shape expected_shape(const std::string& canonical_name);

// Each returns the canonical encoder.* or decoder.* entries of a state dict in the named layout.
// `source` names the file in error messages. Throws std::runtime_error when the state dict is in
// another layout (saying which), when a key is missing (naming it), or when a shape is wrong
// (naming the key and both shapes). Keys the model does not use (VGG layers past conv4_1) are
// ignored. The tensors are shared with `state`, not copied.
StateDict canonical_from_vgg_normalised(const StateDict& state, const std::string& source);
StateDict canonical_from_decoder(const StateDict& state, const std::string& source);
// conv1_1 .. conv4_1 only: torchvision's VGG has no conv0 (it expects ImageNet-normalised input).
StateDict canonical_from_torchvision_vgg19(const StateDict& state, const std::string& source);

// Loads a .pth file and returns its canonical encoder weights, whatever the layout:
// vgg_normalised, torchvision vgg19 (no encoder.conv0 then) or canonical.
StateDict load_encoder_weights(const std::string& path);
// Loads a .pth file and returns its canonical decoder weights: AdaIN decoder or canonical layout.
StateDict load_decoder_weights(const std::string& path);

}  // namespace gs::data
