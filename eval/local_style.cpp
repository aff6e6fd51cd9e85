#include "eval/local_style.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "graph/patch_dots.h"
#include "graph/patch_stats.h"

namespace gs::eval {

namespace {
constexpr int64_t kScratchBudget = int64_t{64} << 20;  // bytes of PatchDots scratch per thread
constexpr int64_t kGemmColumns = 256;                  // style pixels per GEMM: oneDNN is near peak from here

void check_map(const Tensor& f, int p, const char* what) {
  if (!f.defined() || f.dim() != 3 || f.numel() == 0)
    throw std::invalid_argument(std::string("local-style distance: the ") + what + " map must be [C,H,W], got " +
                                (f.defined() ? shape_str(f.shape()) : std::string("an undefined tensor")));
  if (f.size(1) < p || f.size(2) < p)
    throw std::invalid_argument(std::string("local-style distance: the ") + what + " map " + shape_str(f.shape()) +
                                " is smaller than a " + std::to_string(p) + "x" + std::to_string(p) + " patch");
}

// 1 / |patch| for every p x p patch (0 for a patch of zeros: its cosine is 0 with everything).
std::vector<float> inverse_norms(const graph::ShiftedMap& map, int p) {
  const graph::PatchStats st = graph::patch_stats(map, p);
  std::vector<float> inv(st.nodes());
  for (int64_t i = 0; i < st.nodes(); ++i) inv[i] = st.sumsq[i] > 0 ? static_cast<float>(1.0 / std::sqrt(st.sumsq[i])) : 0.f;
  return inv;
}

LocalStyleBlocking choose_blocking(const graph::ShiftedMap& rows, const graph::ShiftedMap& cols, int p,
                                   LocalStyleBlocking b, int threads) {
  if (b.chunk_rows <= 0) b.chunk_rows = std::clamp<int64_t>((kGemmColumns + cols.W - 1) / cols.W, 1, cols.H);
  if (b.band_rows > 0) return b;
  const int64_t grid_h = rows.grid_h(p);
  int64_t widest = 1;
  while (widest < grid_h && graph::PatchDots::scratch_bytes(rows, cols, p, widest + 1, b.chunk_rows) <= kScratchBudget)
    ++widest;
  const int64_t bands = threads * ((grid_h + int64_t{threads} * widest - 1) / (int64_t{threads} * widest));
  b.band_rows = (grid_h + bands - 1) / bands;
  return b;
}
}  // namespace

// out: [C,Ho,Wo], style: [C,Hs,Ws] -> scalar
double local_style_distance(const Tensor& out, const Tensor& style, int p, const LocalStyleBlocking& blocking) {
  if (p < 1 || p % 2 == 0) throw std::invalid_argument("local-style distance: patch size " + std::to_string(p) + " must be odd");
  check_map(out, p, "output");
  check_map(style, p, "style");
  if (out.size(0) != style.size(0))
    throw std::invalid_argument("local-style distance: the output map has " + std::to_string(out.size(0)) +
                                " channels, the style map " + std::to_string(style.size(0)));
  const Tensor oc = out.contiguous(), sc = style.contiguous();
  // No shift: a cosine is not invariant to one.
  const graph::ShiftedMap rows{oc.data(), oc.size(0), oc.size(1), oc.size(2), 0.f};
  const graph::ShiftedMap cols{sc.data(), sc.size(0), sc.size(1), sc.size(2), 0.f};
  const std::vector<float> inv_r = inverse_norms(rows, p), inv_c = inverse_norms(cols, p);
  const int64_t gwr = rows.grid_w(p), gwc = cols.grid_w(p), grid_h = rows.grid_h(p);

  const int threads = omp_get_max_threads();
  const LocalStyleBlocking b = choose_blocking(rows, cols, p, blocking, threads);
  const graph::PatchDots dots(rows, cols, p, b.band_rows, b.chunk_rows);
  // Largest <P_i, Q_j> / |Q_j| per output patch; a band writes only its own rows.
  std::vector<float> best(inv_r.size(), -std::numeric_limits<float>::infinity());
  const int64_t bands = (grid_h + b.band_rows - 1) / b.band_rows;
  std::exception_ptr failure;
  std::mutex failure_mutex;
#pragma omp parallel num_threads(threads)
  {
    try {
      graph::PatchDots::Scratch scratch = dots.make_scratch();
#pragma omp for schedule(dynamic, 1)
      for (int64_t band = 0; band < bands; ++band) {
        const int64_t r0 = band * b.band_rows, r1 = std::min(grid_h, r0 + b.band_rows);
        dots.run_band(r0, r1, 0, scratch, [&](int64_t oy_i, int64_t oy_j, const float* d) {
          const float* inv = inv_c.data() + oy_j * gwc;
          for (int64_t ox_i = 0; ox_i < gwr; ++ox_i, d += gwc) {
            float m = best[oy_i * gwr + ox_i];
            for (int64_t o = 0; o < gwc; ++o) m = std::max(m, d[o] * inv[o]);
            best[oy_i * gwr + ox_i] = m;
          }
        });
      }
    } catch (...) {  // an exception must not leave an OpenMP region
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
  double total = 0;
  for (size_t i = 0; i < best.size(); ++i) {
    // Rounding can put the cosine of a patch with its own copy a hair above 1.
    const double cosine = std::min(1.0, static_cast<double>(best[i]) * inv_r[i]);
    total += 1.0 - cosine;
  }
  return total / static_cast<double>(best.size());
}

}  // namespace gs::eval
