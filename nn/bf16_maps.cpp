#include "nn/bf16_maps.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "nn/layer_indexing.h"
#include "nn/nhwc_layers.h"

namespace gs::nn {

namespace {
using detail::bilinear_taps;
using detail::pool_max;
using detail::Tap;

void check_map(const Tensor& x, const char* what) {
  if (x.dim() != 4 || !x.is_contiguous())
    throw std::invalid_argument(std::string(what) + ": x must be a contiguous [N,H,W,C] map, got " +
                                shape_str(x.shape()));
}

const uint16_t* values(const Tensor& x) { return reinterpret_cast<const uint16_t*>(x.data()); }
uint16_t* values(Tensor& x) { return reinterpret_cast<uint16_t*>(x.data()); }
}  // namespace

Tensor to_bf16_nhwc(const Tensor& x, Tensor out_buffer) {
  check_map(x, "to_bf16_nhwc");
  if (x.size(3) % 2)
    throw std::invalid_argument("to_bf16_nhwc: x " + shape_str(x.shape()) + " has an odd channel count");
  Tensor y = output_or_new(out_buffer, {x.size(0), x.size(1), x.size(2), x.size(3) / 2}, "to_bf16_nhwc");
  const float* xp = x.data();
  uint16_t* yp = values(y);
  const int64_t n = x.numel();
#pragma omp parallel for simd schedule(static)
  for (int64_t i = 0; i < n; ++i) yp[i] = float_to_bf16(xp[i]);
  return y;
}

Tensor from_bf16_nhwc(const Tensor& x, Tensor out_buffer) {
  check_map(x, "from_bf16_nhwc");
  Tensor y = output_or_new(out_buffer, {x.size(0), x.size(1), x.size(2), 2 * x.size(3)}, "from_bf16_nhwc");
  const uint16_t* xp = values(x);
  float* yp = y.data();
  const int64_t n = y.numel();
#pragma omp parallel for simd schedule(static)
  for (int64_t i = 0; i < n; ++i) yp[i] = bf16_to_float(xp[i]);
  return y;
}

// As max_pool2x2_ceil_nhwc: a partial window compares its pixels with themselves. The maximum of
// bf16 values is one of them, so nothing is rounded.
Tensor max_pool2x2_ceil_bf16_nhwc(const Tensor& x, Tensor out_buffer) {
  check_map(x, "max_pool2x2_ceil_bf16_nhwc");
  const int64_t n = x.size(0), h = x.size(1), w = x.size(2), c = 2 * x.size(3);
  const int64_t ho = (h + 1) / 2, wo = (w + 1) / 2;
  Tensor y = output_or_new(out_buffer, {n, ho, wo, c / 2}, "max_pool2x2_ceil_bf16_nhwc");
  const uint16_t* xp = values(x);
  uint16_t* yp = values(y);
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < n * ho; ++r) {
    const int64_t b = r / ho, oy = r % ho;
    const uint16_t* r0 = xp + (b * h + 2 * oy) * w * c;
    const uint16_t* r1 = 2 * oy + 1 < h ? r0 + w * c : r0;
    uint16_t* out = yp + r * wo * c;
    for (int64_t ox = 0; ox < wo; ++ox) {
      const int64_t x0 = 2 * ox * c, x1 = 2 * ox + 1 < w ? x0 + c : x0;
      uint16_t* o = out + ox * c;
#pragma omp simd
      for (int64_t ch = 0; ch < c; ++ch)
        o[ch] = float_to_bf16(pool_max(
            pool_max(pool_max(bf16_to_float(r0[x0 + ch]), bf16_to_float(r0[x1 + ch])), bf16_to_float(r1[x0 + ch])),
            bf16_to_float(r1[x1 + ch])));
    }
  }
  return y;
}

Tensor upsample2x_bf16_nhwc(const Tensor& x, Upsample mode, Tensor out_buffer) {
  check_map(x, "upsample2x_bf16_nhwc");
  if (mode == Upsample::nearest) return upsample2x_nhwc(x, mode, out_buffer);  // a copy: the packing does not matter
  const int64_t n = x.size(0), h = x.size(1), w = x.size(2), c = 2 * x.size(3);
  const int64_t ho = 2 * h, wo = 2 * w;
  Tensor y = output_or_new(out_buffer, {n, ho, wo, c / 2}, "upsample2x_bf16_nhwc");
  const uint16_t* xp = values(x);
  uint16_t* yp = values(y);
  const std::vector<Tap> ty = bilinear_taps(h), tx = bilinear_taps(w);
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < n * ho; ++r) {
    const Tap& a = ty[r % ho];
    const uint16_t* r0 = xp + (r / ho * h + a.i0) * w * c;
    const uint16_t* r1 = xp + (r / ho * h + a.i1) * w * c;
    uint16_t* out = yp + r * wo * c;
    for (int64_t j = 0; j < wo; ++j) {
      const Tap& t = tx[j];
      const uint16_t *p00 = r0 + t.i0 * c, *p01 = r0 + t.i1 * c, *p10 = r1 + t.i0 * c, *p11 = r1 + t.i1 * c;
      uint16_t* o = out + j * c;
#pragma omp simd
      for (int64_t ch = 0; ch < c; ++ch)
        o[ch] = float_to_bf16(a.w0 * (t.w0 * bf16_to_float(p00[ch]) + t.w1 * bf16_to_float(p01[ch])) +
                              a.w1 * (t.w0 * bf16_to_float(p10[ch]) + t.w1 * bf16_to_float(p11[ch])));
    }
  }
  return y;
}

}  // namespace gs::nn
