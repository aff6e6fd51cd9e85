#include "graph/patch_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace gs::graph {

namespace {
constexpr double kNccEps = 1e-8;  // MODEL.md 2.2: (|x - mean(x)| + 1e-8)
}

float finite_mean(const float* x, int64_t n, const char* what) {
  // Partial sums over fixed blocks, added in order: the same mean for any number of threads.
  constexpr int64_t kBlock = 1 << 16;
  const int64_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<double> partial(blocks, 0.0);
#pragma omp parallel for schedule(static)
  for (int64_t b = 0; b < blocks; ++b) {
    double s = 0;
    for (int64_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) s += x[i];
    partial[b] = s;
  }
  double total = 0;
  for (double s : partial) total += s;
  // A NaN or inf anywhere makes the sum non-finite; the sum of finite floats in double cannot overflow.
  if (!std::isfinite(total))
    throw std::invalid_argument(std::string(what) + " contains NaN or infinite values");
  return n > 0 ? static_cast<float>(total / static_cast<double>(n)) : 0.f;
}

// map: [C,H,W] -> per-node sums, norms and the constant-patch flag.
PatchStats patch_stats(const ShiftedMap& map, int p) {
  const int64_t C = map.C, H = map.H, W = map.W, HW = H * W;
  // Per pixel, over its C channels: sum, sum of squares, and min/max to recognise constant patches
  // exactly (S2 - S1^2/D rounds to a tiny non-zero value for them; the reference gets exactly 0).
  std::vector<double> pix_sum(HW, 0.0), pix_sumsq(HW, 0.0);
  std::vector<float> pix_min(HW, std::numeric_limits<float>::infinity());
  std::vector<float> pix_max(HW, -std::numeric_limits<float>::infinity());
  constexpr int64_t kPixels = 256;  // a run of pixels per task: reads stay contiguous along each channel
#pragma omp parallel for schedule(static)
  for (int64_t a0 = 0; a0 < HW; a0 += kPixels)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t a = a0; a < std::min(HW, a0 + kPixels); ++a) {
        float v = map.at_pixel(c, a);
        pix_sum[a] += v;
        pix_sumsq[a] += static_cast<double>(v) * v;
        pix_min[a] = std::min(pix_min[a], v);
        pix_max[a] = std::max(pix_max[a], v);
      }

  PatchStats st;
  st.grid_h = map.grid_h(p);
  st.grid_w = map.grid_w(p);
  const int64_t N = st.nodes();
  const double D = static_cast<double>(C) * p * p;
  st.sum.resize(N);
  st.sumsq.resize(N);
  st.inv_norm.resize(N);
  st.self_ncc.resize(N);
#pragma omp parallel for schedule(static)
  for (int64_t oy = 0; oy < st.grid_h; ++oy)
    for (int64_t ox = 0; ox < st.grid_w; ++ox) {
      double s1 = 0, s2 = 0;
      float lo = pix_min[oy * W + ox], hi = pix_max[oy * W + ox];
      for (int64_t ky = 0; ky < p; ++ky)
        for (int64_t kx = 0; kx < p; ++kx) {
          int64_t a = (oy + ky) * W + ox + kx;
          s1 += pix_sum[a];
          s2 += pix_sumsq[a];
          lo = std::min(lo, pix_min[a]);
          hi = std::max(hi, pix_max[a]);
        }
      const int64_t i = oy * st.grid_w + ox;
      const double zz = std::max(0.0, s2 - s1 * s1 / D);  // |z|^2
      const double inv = lo == hi ? 0.0 : 1.0 / (std::sqrt(zz) + kNccEps);
      st.sum[i] = static_cast<float>(s1);
      st.sumsq[i] = s2;
      st.inv_norm[i] = static_cast<float>(inv);
      st.self_ncc[i] = static_cast<float>(zz * inv * inv);
    }
  return st;
}

}  // namespace gs::graph
