#include "nn/nhwc_layers.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "nn/layer_indexing.h"

namespace gs::nn {

namespace {
using detail::bilinear_taps;
using detail::pool_max;
using detail::reflect;
using detail::Tap;

struct Map {
  int64_t n, h, w, c;
};

Map nhwc_of(const Tensor& x, const char* what) {
  if (x.dim() != 4 || !x.is_contiguous())
    throw std::invalid_argument(std::string(what) + ": x must be a contiguous [N,H,W,C] map, got " +
                                shape_str(x.shape()));
  return {x.size(0), x.size(1), x.size(2), x.size(3)};
}

// src: [rows, cols] -> dst: [cols, rows], in square tiles so that both sides stay in cache.
// One plane per call; the tiles of a plane are shared among the threads.
void transpose_plane(const float* src, float* dst, int64_t rows, int64_t cols) {
  constexpr int64_t kTile = 32;
  const int64_t row_tiles = (rows + kTile - 1) / kTile, col_tiles = (cols + kTile - 1) / kTile;
#pragma omp parallel for schedule(static)
  for (int64_t t = 0; t < row_tiles * col_tiles; ++t) {
    const int64_t r0 = (t / col_tiles) * kTile, c0 = (t % col_tiles) * kTile;
    const int64_t r1 = std::min(rows, r0 + kTile), c1 = std::min(cols, c0 + kTile);
    for (int64_t c = c0; c < c1; ++c)
      for (int64_t r = r0; r < r1; ++r) dst[c * rows + r] = src[r * cols + c];
  }
}


}  // namespace

Tensor output_or_new(Tensor out, const Shape& shape, const char* what) {
  if (!out.defined()) return Tensor::empty(shape);
  if (out.shape() != shape || !out.is_contiguous())
    throw std::invalid_argument(std::string(what) + ": the output must be a contiguous " + shape_str(shape) +
                                " tensor, got " + shape_str(out.shape()) +
                                (out.is_contiguous() ? "" : " (a strided view)"));
  return out;
}

Tensor to_nhwc(const Tensor& x_in) {
  if (x_in.dim() != 4) throw std::invalid_argument("to_nhwc: x must be [N,C,H,W], got " + shape_str(x_in.shape()));
  const Tensor x = x_in.contiguous();
  const int64_t n = x.size(0), c = x.size(1), hw = x.size(2) * x.size(3);
  Tensor y = Tensor::empty({n, x.size(2), x.size(3), c});
  for (int64_t b = 0; b < n; ++b) transpose_plane(x.data() + b * c * hw, y.data() + b * c * hw, c, hw);
  return y;
}

Tensor to_nchw(const Tensor& x) {
  const Map m = nhwc_of(x, "to_nchw");
  Tensor y = Tensor::empty({m.n, m.c, m.h, m.w});
  const int64_t hw = m.h * m.w;
  for (int64_t b = 0; b < m.n; ++b) transpose_plane(x.data() + b * m.c * hw, y.data() + b * m.c * hw, hw, m.c);
  return y;
}

// [N,H,W,C] -> [N,H+2p,W+2p,C]: whole rows of W*C floats, then p mirrored pixels on each side.
Tensor reflection_pad_nhwc(const Tensor& x, int p, Tensor out_buffer) {
  const Map m = nhwc_of(x, "reflection_pad_nhwc");
  if (p < 0 || p >= m.h || p >= m.w)
    throw std::invalid_argument("reflection_pad_nhwc: x " + shape_str(x.shape()) + " cannot be reflect-padded by " +
                                std::to_string(p));
  const int64_t ho = m.h + 2 * p, wo = m.w + 2 * p, px = m.c;
  Tensor y = output_or_new(out_buffer, {m.n, ho, wo, m.c}, "reflection_pad_nhwc");
  const float* xp = x.data();
  float* yp = y.data();
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < m.n * ho; ++r) {
    const int64_t b = r / ho, i = r % ho;
    const float* row = xp + (b * m.h + reflect(i - p, m.h)) * m.w * px;
    float* out = yp + r * wo * px;
    std::memcpy(out + p * px, row, sizeof(float) * m.w * px);
    for (int64_t j = 0; j < p; ++j) {
      std::memcpy(out + j * px, row + (p - j) * px, sizeof(float) * px);
      std::memcpy(out + (p + m.w + j) * px, row + (m.w - 2 - j) * px, sizeof(float) * px);
    }
  }
  return y;
}

// [N,H,W,C] -> [N,ceil(H/2),ceil(W/2),C]; a partial window compares its pixels with themselves,
// which changes nothing (as in the NCHW kernel).
Tensor max_pool2x2_ceil_nhwc(const Tensor& x, Tensor out_buffer) {
  const Map m = nhwc_of(x, "max_pool2x2_ceil_nhwc");
  const int64_t ho = (m.h + 1) / 2, wo = (m.w + 1) / 2, c = m.c;
  Tensor y = output_or_new(out_buffer, {m.n, ho, wo, c}, "max_pool2x2_ceil_nhwc");
  const float* xp = x.data();
  float* yp = y.data();
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < m.n * ho; ++r) {
    const int64_t b = r / ho, oy = r % ho;
    const float* r0 = xp + (b * m.h + 2 * oy) * m.w * c;
    const float* r1 = 2 * oy + 1 < m.h ? r0 + m.w * c : r0;
    float* out = yp + r * wo * c;
    for (int64_t ox = 0; ox < wo; ++ox) {
      const int64_t x0 = 2 * ox * c, x1 = 2 * ox + 1 < m.w ? x0 + c : x0;
      float* o = out + ox * c;
#pragma omp simd
      for (int64_t ch = 0; ch < c; ++ch)
        o[ch] = pool_max(pool_max(pool_max(r0[x0 + ch], r0[x1 + ch]), r1[x0 + ch]), r1[x1 + ch]);
    }
  }
  return y;
}

Tensor upsample2x_nhwc(const Tensor& x, Upsample mode, Tensor out_buffer) {
  const Map m = nhwc_of(x, "upsample2x_nhwc");
  const int64_t ho = 2 * m.h, wo = 2 * m.w, c = m.c;
  Tensor y = output_or_new(out_buffer, {m.n, ho, wo, c}, "upsample2x_nhwc");
  const float* xp = x.data();
  float* yp = y.data();
  if (mode == Upsample::nearest) {
#pragma omp parallel for schedule(static)
    for (int64_t r = 0; r < m.n * ho; ++r) {
      const float* row = xp + (r / ho * m.h + r % ho / 2) * m.w * c;
      float* out = yp + r * wo * c;
      for (int64_t j = 0; j < wo; ++j) std::memcpy(out + j * c, row + j / 2 * c, sizeof(float) * c);
    }
    return y;
  }
  const std::vector<Tap> ty = bilinear_taps(m.h), tx = bilinear_taps(m.w);
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < m.n * ho; ++r) {
    const Tap& a = ty[r % ho];
    const float* r0 = xp + (r / ho * m.h + a.i0) * m.w * c;
    const float* r1 = xp + (r / ho * m.h + a.i1) * m.w * c;
    float* out = yp + r * wo * c;
    for (int64_t j = 0; j < wo; ++j) {
      const Tap& t = tx[j];
      const float *p00 = r0 + t.i0 * c, *p01 = r0 + t.i1 * c, *p10 = r1 + t.i0 * c, *p11 = r1 + t.i1 * c;
      float* o = out + j * c;
#pragma omp simd
      for (int64_t ch = 0; ch < c; ++ch)
        o[ch] = a.w0 * (t.w0 * p00[ch] + t.w1 * p01[ch]) + a.w1 * (t.w0 * p10[ch] + t.w1 * p11[ch]);
    }
  }
  return y;
}

}  // namespace gs::nn
