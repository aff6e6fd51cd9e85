#include "graph/patch_dots.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace gs::graph {

namespace {

// out[e] += in[e]: the one accumulation step of the box sums (no aliasing, so it vectorises).
inline void add_row(float* __restrict out, const float* __restrict in, int64_t n) {
  for (int64_t e = 0; e < n; ++e) out[e] += in[e];
}

}  // namespace

PatchDots::PatchDots(const ShiftedMap& rows, const ShiftedMap& cols, int p, int64_t band_rows,
                     int64_t chunk_rows)
    : rows_(rows), cols_(cols), p_(p), band_rows_(band_rows), chunk_rows_(chunk_rows),
      band_pixel_rows_(band_rows + p - 1), ring_rows_(chunk_rows + p - 1),
      grid_wr_(rows.grid_w(p)), grid_wc_(cols.grid_w(p)), grid_hc_(cols.grid_h(p)),
      padded_hc_(cols.H + chunk_rows - 1) {
  const int64_t C = cols.C, Wc = cols.W;
  shifted_cols_ = Tensor::empty({C, padded_hc_, Wc});
  float* out = shifted_cols_.data();
#pragma omp parallel for schedule(static)
  for (int64_t c = 0; c < C; ++c) {
    float* plane = out + c * padded_hc_ * Wc;
    for (int64_t a = 0; a < cols.H * Wc; ++a) plane[a] = cols.at_pixel(c, a);
    std::fill(plane + cols.H * Wc, plane + padded_hc_ * Wc, 0.f);
  }
  gemm_ = std::make_unique<DnnlMatmul>(band_pixel_rows_ * rows.W, chunk_rows * Wc, C, padded_hc_ * Wc);
}

int64_t PatchDots::scratch_bytes(const ShiftedMap& rows, const ShiftedMap& cols, int p, int64_t band_rows,
                                 int64_t chunk_rows) {
  const int64_t pixel_rows = band_rows + p - 1;
  const int64_t band = pixel_rows * rows.W * rows.C;
  const int64_t gram = pixel_rows * rows.W * chunk_rows * cols.W;
  const int64_t ring = (chunk_rows + p - 1) * pixel_rows * rows.grid_w(p) * cols.grid_w(p);
  const int64_t dots = rows.grid_w(p) * cols.grid_w(p);
  return static_cast<int64_t>(sizeof(float)) * (band + gram + ring + dots);
}

PatchDots::Scratch PatchDots::make_scratch() const {
  Scratch s;
  s.band = Tensor::empty({band_pixel_rows_ * rows_.W, rows_.C});
  s.gram = Tensor::empty({band_pixel_rows_ * rows_.W, chunk_rows_ * cols_.W});
  s.ring = Tensor::empty({ring_rows_, band_pixel_rows_, grid_wr_, grid_wc_});
  s.dots = Tensor::empty({grid_wr_, grid_wc_});
  return s;
}

// rows map pixel rows [r0, r0 + band_pixel_rows) -> band [band_pixel_rows*Wr, C], zero below the map.
void PatchDots::fill_band(int64_t r0, float* band) const {
  const int64_t C = rows_.C, Wr = rows_.W, first = r0 * Wr;
  const int64_t inside = std::clamp<int64_t>(rows_.H - r0, 0, band_pixel_rows_) * Wr;
  // A transpose, tiled so that the written rows of a tile stay in cache while c runs.
  constexpr int64_t kTile = 64;
  for (int64_t a0 = 0; a0 < inside; a0 += kTile) {
    const int64_t a1 = std::min(inside, a0 + kTile);
    for (int64_t c = 0; c < C; ++c)
      for (int64_t a = a0; a < a1; ++a) band[a * C + c] = rows_.at_pixel(c, first + a);
  }
  std::fill(band + inside * C, band + band_pixel_rows_ * Wr * C, 0.f);
}

// gram [band pixel rows * Wr, chunk_rows * Wc] -> ring[slot(yb)][ya][ox_i][ox_j]
//   = sum_kx G[(ya, ox_i + kx), (yb, ox_j + kx)]: dot products of 1 x p pixel strips.
// Summed in kx order (and patch_sums in ky order) everywhere, so identical patches get
// bit-identical dot products.
void PatchDots::strip_sums(int64_t y0, const float* gram, float* ring, int64_t col_start) const {
  const int64_t Wr = rows_.W, Wc = cols_.W, N = chunk_rows_ * Wc;
  const int64_t last = std::min(chunk_rows_, cols_.H - y0);  // rows past the map are never visited
  for (int64_t u = 0; u < last; ++u) {
    float* slot = ring + ring_slot(y0 + u, col_start) * band_pixel_rows_ * grid_wr_ * grid_wc_;
    for (int64_t ya = 0; ya < band_pixel_rows_; ++ya)
      for (int64_t ox_i = 0; ox_i < grid_wr_; ++ox_i) {
        float* h = slot + (ya * grid_wr_ + ox_i) * grid_wc_;
        const float* g = gram + (ya * Wr + ox_i) * N + u * Wc;  // G row of pixel (ya, ox_i), column (yb, 0)
        std::memcpy(h, g, grid_wc_ * sizeof(float));
        for (int64_t kx = 1; kx < p_; ++kx) add_row(h, g + kx * N + kx, grid_wc_);  // (ya, ox_i+kx) x (yb, ox_j+kx)
      }
  }
}

// ring -> dots[ox_i][ox_j] = sum_ky strip(ya = oy_i + ky, yb = oy_j + ky) for one pair of node rows.
void PatchDots::patch_sums(int64_t oy_i_local, int64_t oy_j, int64_t col_start, const float* ring,
                           float* dots) const {
  const int64_t plane = grid_wr_ * grid_wc_;
  auto strip = [&](int64_t ky) {
    return ring + (ring_slot(oy_j + ky, col_start) * band_pixel_rows_ + oy_i_local + ky) * plane;
  };
  std::memcpy(dots, strip(0), plane * sizeof(float));
  for (int64_t ky = 1; ky < p_; ++ky) add_row(dots, strip(ky), plane);
}

void PatchDots::run_band(int64_t r0, int64_t r1, int64_t col_start, Scratch& scratch, const Visit& visit) const {
  if (r1 - r0 > band_rows_) throw std::logic_error("PatchDots::run_band: band taller than band_rows");
  fill_band(r0, scratch.band.data());
  const int64_t Wc = cols_.W;
  for (int64_t y0 = col_start; y0 < cols_.H; y0 += chunk_rows_) {
    gemm_->run(scratch.band.data(), shifted_cols_.data() + y0 * Wc, scratch.gram.data());
    strip_sums(y0, scratch.gram.data(), scratch.ring.data(), col_start);
    // Node rows whose last pixel row (oy_j + p - 1) arrived in this chunk are complete. oy_i
    // outermost: consecutive oy_i read mostly the same strip planes (those on the same diagonals)
    // when a chunk completes several node rows.
    const int64_t first = std::max(col_start, y0 - p_ + 1);
    const int64_t last = std::min(y0 + chunk_rows_ - p_ + 1, grid_hc_);
    for (int64_t oy_i = r0; oy_i < r1; ++oy_i)
      for (int64_t oy_j = first; oy_j < last; ++oy_j) {
        patch_sums(oy_i - r0, oy_j, col_start, scratch.ring.data(), scratch.dots.data());
        visit(oy_i, oy_j, scratch.dots.data());
      }
  }
}

}  // namespace gs::graph
