#include "graph/channel_blocks.h"

#include <algorithm>
#include <stdexcept>

namespace gs::graph {

namespace {
// Transposes in tiles of kTile pixels: a tile's reads (one line per channel) and writes (kTile rows
// of a block) stay in L1, where a plain pixel-by-pixel loop would stride through H*W floats per lane.
constexpr int64_t kTile = 16;

// in: `lanes` channel planes of HW floats -> out: [HW, kLanes] (lanes beyond `lanes` untouched)
void transpose_in(const float* in, int64_t HW, int64_t lanes, float* out) {
  for (int64_t p0 = 0; p0 < HW; p0 += kTile) {
    const int64_t p1 = std::min(HW, p0 + kTile);
    for (int64_t l = 0; l < lanes; ++l)
      for (int64_t px = p0; px < p1; ++px) out[px * kLanes + l] = in[l * HW + px];
  }
}

// in: [HW, kLanes] -> out: the first `lanes` channel planes of HW floats
void transpose_out(const float* in, int64_t HW, int64_t lanes, float* out) {
  for (int64_t p0 = 0; p0 < HW; p0 += kTile) {
    const int64_t p1 = std::min(HW, p0 + kTile);
    for (int64_t l = 0; l < lanes; ++l)
      for (int64_t px = p0; px < p1; ++px) out[l * HW + px] = in[px * kLanes + l];
  }
}
}  // namespace

ChannelBlocks zero_blocks(int64_t n, int64_t channels, int64_t height, int64_t width) {
  ChannelBlocks b = empty_blocks(n, channels, height, width);
  b.data.fill_(0.f);
  return b;
}

ChannelBlocks empty_blocks(int64_t n, int64_t channels, int64_t height, int64_t width) {
  ChannelBlocks b;
  b.n = n;
  b.channels = channels;
  b.blocks = (channels + kLanes - 1) / kLanes;
  b.height = height;
  b.width = width;
  b.data = Tensor::empty({n, b.blocks, height * width, kLanes});
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
  // Only a partial last block has lanes that no channel fills.
  ChannelBlocks b = C % kLanes ? zero_blocks(N, C, x.size(2), x.size(3)) : empty_blocks(N, C, x.size(2), x.size(3));
  const float* sc = scale.defined() ? scale.data() : nullptr;
#pragma omp parallel for collapse(2)
  for (int64_t n = 0; n < N; ++n)
    for (int64_t blk = 0; blk < b.blocks; ++blk) {
      float* out = b.plane(n, blk);
      const int64_t lanes = std::min(kLanes, C - blk * kLanes);
      transpose_in(x.data() + (n * C + blk * kLanes) * HW, HW, lanes, out);
      if (sc)
        for (int64_t px = 0; px < HW; ++px)
          for (int64_t l = 0; l < kLanes; ++l) out[px * kLanes + l] *= sc[px];
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
      transpose_out(in, HW, lanes, x.data() + (n * C + blk * kLanes) * HW);
    }
  return x;
}

}  // namespace gs::graph
