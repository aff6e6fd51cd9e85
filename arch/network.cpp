#include "arch/network.h"

#include <cstring>

namespace gs::arch {

// clang-format off
const std::vector<ConvLayer>& encoder_layers() {
  //                                    name      in    out  k  relu   pool   up     lvl pth tv
  static const std::vector<ConvLayer> layers{{"conv0",   kRgb, kRgb, 1, false, false, false, 0,  0, -1},
                                             {"conv1_1", kRgb, 0,    3, true,  false, false, 1,  2,  0},
                                             {"conv1_2", 0,    0,    3, true,  true,  false, 0,  5,  2},
                                             {"conv2_1", 0,    1,    3, true,  false, false, 2,  9,  5},
                                             {"conv2_2", 1,    1,    3, true,  true,  false, 0, 12,  7},
                                             {"conv3_1", 1,    2,    3, true,  false, false, 3, 16, 10},
                                             {"conv3_2", 2,    2,    3, true,  false, false, 0, 19, 12},
                                             {"conv3_3", 2,    2,    3, true,  false, false, 0, 22, 14},
                                             {"conv3_4", 2,    2,    3, true,  true,  false, 0, 25, 16},
                                             {"conv4_1", 2,    3,    3, true,  false, false, 4, 29, 19}};
  return layers;
}

const std::vector<ConvLayer>& decoder_layers() {
  static const std::vector<ConvLayer> layers{{"dec4_1", 3, 2,    3, true,  false, true,  0,  1, -1},
                                             {"dec3_4", 2, 2,    3, true,  false, false, 0,  5, -1},
                                             {"dec3_3", 2, 2,    3, true,  false, false, 0,  8, -1},
                                             {"dec3_2", 2, 2,    3, true,  false, false, 0, 11, -1},
                                             {"dec3_1", 2, 1,    3, true,  false, true,  0, 14, -1},
                                             {"dec2_2", 1, 1,    3, true,  false, false, 0, 18, -1},
                                             {"dec2_1", 1, 0,    3, true,  false, true,  0, 21, -1},
                                             {"dec1_2", 0, 0,    3, true,  false, false, 0, 25, -1},
                                             {"dec1_1", 0, kRgb, 3, false, false, false, 0, 28, -1}};
  return layers;
}
// clang-format on

const ConvLayer* find_layer(const std::vector<ConvLayer>& layers, const char* name) {
  for (const ConvLayer& l : layers)
    if (std::strcmp(l.name, name) == 0) return &l;
  return nullptr;
}

}  // namespace gs::arch
