// Channel-blocked maps for the streamed message passing (graph/message_passing.cpp).
//
// A map [N,C,H,W] is stored as [N, B, H*W, kLanes], B = ceil(C / kLanes), the missing channels of the
// last block zero. The kLanes channels of one pixel are adjacent, so a bilinear tap of a pixel is a
// few vector multiply-adds over the block instead of a scalar per channel plane, and a thread that
// owns a block owns its output plane outright.
// kLanes trades the per-sample scalar work (tap lookup, 4 weights), paid once per block, against the
// block plane's cache footprint (H*W*kLanes floats: 1 MB at 64x64). Measured on the graph stage at
// 64x64x512 (one thread): 16 lanes 102 ms, 32 lanes 80 ms, 64 lanes 71 ms, 128 lanes 78 ms.
#pragma once
#include <cstdint>

#include "tensor/tensor.h"

namespace gs::graph {

constexpr int64_t kLanes = 64;  // four AVX-512 registers of floats

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
ChannelBlocks empty_blocks(int64_t n, int64_t channels, int64_t height, int64_t width);  // uninitialised
// x: [N,C,H,W] -> blocked; with `scale` [H,W] (optional) every pixel is multiplied by scale[y,x].
ChannelBlocks to_blocks(const Tensor& x, const Tensor& scale = Tensor());
// blocked -> [N,C,H,W]
Tensor from_blocks(const ChannelBlocks& b);

}  // namespace gs::graph
