// Channel-blocked maps for the streamed message passing (graph/message_passing.cpp).
//
// A map [N,C,H,W] is stored as [N, B, H*W, kLanes], B = ceil(C / kLanes), the missing channels of the
// last block zero. The kLanes channels of one pixel are adjacent, so a bilinear tap of a pixel is one
// vector multiply-add over the block instead of a scalar per channel plane; a block plane
// (H*W*kLanes floats, 256 KB at 64x64) stays in a core's L2 while a thread works through it.
#pragma once
#include <cstdint>

#include "tensor/tensor.h"

namespace gs::graph {

constexpr int64_t kLanes = 16;  // one AVX-512 register of floats, two AVX2 registers

struct ChannelBlocks {
  int64_t n = 0, channels = 0, blocks = 0, height = 0, width = 0;
  Tensor data;  // [n, blocks, height*width, kLanes]

  int64_t plane_size() const { return height * width * kLanes; }
  float* plane(int64_t image, int64_t block) { return data.data() + (image * blocks + block) * plane_size(); }
  const float* plane(int64_t image, int64_t block) const {
    return data.data() + (image * blocks + block) * plane_size();
  }
};

ChannelBlocks zero_blocks(int64_t n, int64_t channels, int64_t height, int64_t width);
// x: [N,C,H,W] -> blocked; with `scale` [H,W] (optional) every pixel is multiplied by scale[y,x].
ChannelBlocks to_blocks(const Tensor& x, const Tensor& scale = Tensor());
// blocked -> [N,C,H,W]
Tensor from_blocks(const ChannelBlocks& b);

}  // namespace gs::graph
