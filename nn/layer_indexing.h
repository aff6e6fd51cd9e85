// The index arithmetic shared by the image layers in both layouts (nn/image_layers.cpp, NCHW with
// autograd; nn/nhwc_layers.cpp, channels-last inference): one definition, so the two cannot drift.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace gs::nn::detail {

// Mirror index without repeating the edge: -1 -> 1, n -> n-2 (valid for |overhang| < n).
inline int64_t reflect(int64_t i, int64_t n) { return i < 0 ? -i : (i >= n ? 2 * (n - 1) - i : i); }

// The max-pool's comparison: a strictly larger value, or a NaN (as in PyTorch), replaces the best so
// far. Scanning a window row-major, ties therefore keep the first maximum. Written as selects rather
// than branches: on real data the outcome is random and mispredicted branches would dominate.
inline bool beats(float v, float best) { return v > best || std::isnan(v); }
inline float pool_max(float best, float v) { return beats(v, best) ? v : best; }

// Where output index d of a x2 bilinear resize (align_corners = false) reads its input: PyTorch's
// src = (d + 0.5) / 2 - 0.5, clamped at 0; neighbours i0 = floor(src) and i1 = i0 + 1 (or i0 at the
// last input index); weights 1 - l and l with l = src - i0.
struct Tap {
  int64_t i0, i1;
  float w0, w1;
};

inline std::vector<Tap> bilinear_taps(int64_t n_in) {
  std::vector<Tap> taps(2 * n_in);
  for (int64_t d = 0; d < 2 * n_in; ++d) {
    const float src = std::max(0.5f * (static_cast<float>(d) + 0.5f) - 0.5f, 0.f);
    const int64_t i0 = static_cast<int64_t>(src);
    const float l = src - static_cast<float>(i0);
    taps[d] = {i0, i0 < n_in - 1 ? i0 + 1 : i0, 1.f - l, l};
  }
  return taps;
}

}  // namespace gs::nn::detail
