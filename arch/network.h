// The one description of the network's convolutional layers (MODEL.md 1 and 3): the VGG-19 encoder up
// to relu4_1 and the AdaIN decoder. The autograd layers (models/encoder.cpp, decoder.cpp), the
// inference layers (models/inference.cpp), the parameter shapes (models/config.cpp) and the mapping
// of the released .pth files' keys (data/released_weights.cpp) all read these two tables.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

namespace gs::arch {

// Channel counts are given as an index into ModelConfig::widths (64, 128, 256, 512 for the released
// weights), or kRgb for the 3 image channels.
constexpr int kRgb = -1;
constexpr std::array<int64_t, 4> kReleasedWidths{64, 128, 256, 512};  // the released AdaIN weights'; ModelConfig's default

struct ConvLayer {
  const char* name;      // canonical: "conv1_1", "dec4_1" (parameters "encoder.conv1_1.weight", ...)
  int in, out;           // channels: widths index or kRgb
  int kernel;            // 3, or 1 for vgg_normalised's colour transform conv0
  bool relu;             // a ReLU follows
  bool pool_after;       // then a 2x2 max pool (ceil mode)
  bool upsample_after;   // then a x2 upsampling
  int relu_level;        // encoder: this ReLU's output is relu<level>_1 (0: none)
  int pth_index;         // index of the layer in the released .pth's nn.Sequential (vgg_normalised.pth, decoder.pth)
  int torchvision_index; // torchvision vgg19 "features.N" (-1: not in it)
};

// conv0 (vgg_normalised only: 1x1, no padding, no ReLU), then conv1_1 .. conv4_1. The 3x3 convs are
// reflection-padded in vgg_normalised and zero-padded in torchvision's layout.
const std::vector<ConvLayer>& encoder_layers();
// dec4_1 .. dec1_1, each reflection-padded; the last has no ReLU (its output is the image).
const std::vector<ConvLayer>& decoder_layers();

// The channel count of a widths index (kRgb: 3).
inline int64_t channels(int index, const std::array<int64_t, 4>& widths) { return index == kRgb ? 3 : widths[index]; }

// A layer by canonical name, or nullptr.
const ConvLayer* find_layer(const std::vector<ConvLayer>& layers, const char* name);

}  // namespace gs::arch
