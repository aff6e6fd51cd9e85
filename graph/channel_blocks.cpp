#include "graph/channel_blocks.h"

#include <algorithm>
#include <stdexcept>

namespace gs::graph {

ChannelBlocks zero_blocks(int64_t n, int64_t channels, int64_t height, int64_t width) {
  ChannelBlocks b;
  b.n = n;
  b.channels = channels;
  b.blocks = (channels + kLanes - 1) / kLanes;
  b.height = height;
  b.width = width;
  b.data = Tensor::zeros({n, b.blocks, height * width, kLanes});
  return b;
}

// [N,C,H,W] -> [N, B, H*W, kLanes]
ChannelBlocks to_blocks(const Tensor& x_any, const Tensor& scale) {
  if (x_any.dim() != 4) throw std::invalid_argument("to_blocks needs a map [N,C,H,W], got " + shape_str(x_any.shape()));
  const Tensor x = x_any.contiguous();
  const int64_t N = x.size(0), C = x.size(1), HW = x.size(2) * x.size(3);
  if (scale.defined() && scale.numel() != HW)
    throw std::invalid_argument("to_blocks: scale " + shape_str(scale.shape()) + " does not match the map " +
                                shape_str(x.shape()));
  ChannelBlocks b = zero_blocks(N, C, x.size(2), x.size(3));
  const float* sc = scale.defined() ? scale.data() : nullptr;
#pragma omp parallel for collapse(2)
  for (int64_t n = 0; n < N; ++n)
    for (int64_t blk = 0; blk < b.blocks; ++blk) {
      float* out = b.plane(n, blk);
      const int64_t lanes = std::min(kLanes, C - blk * kLanes);
      for (int64_t l = 0; l < lanes; ++l) {
        const float* in = x.data() + (n * C + blk * kLanes + l) * HW;
        for (int64_t px = 0; px < HW; ++px) out[px * kLanes + l] = sc ? in[px] * sc[px] : in[px];
      }
    }
  return b;
}

// [N, B, H*W, kLanes] -> [N,C,H,W]
Tensor from_blocks(const ChannelBlocks& b) {
  const int64_t HW = b.height * b.width, C = b.channels;
  Tensor x = Tensor::empty({b.n, C, b.height, b.width});
#pragma omp parallel for collapse(2)
  for (int64_t n = 0; n < b.n; ++n)
    for (int64_t blk = 0; blk < b.blocks; ++blk) {
      const float* in = b.plane(n, blk);
      const int64_t lanes = std::min(kLanes, C - blk * kLanes);
      for (int64_t l = 0; l < lanes; ++l) {
        float* out = x.data() + (n * C + blk * kLanes + l) * HW;
        for (int64_t px = 0; px < HW; ++px) out[px] = in[px * kLanes + l];
      }
    }
  return x;
}

}  // namespace gs::graph
