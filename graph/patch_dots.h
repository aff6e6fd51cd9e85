// Patch dot products without unfolding the patches or storing the Nc x Ns matrix.
//
// A p x p patch dot product is a sum of p*p pixel-pair dot products:
//   <P_i, Q_j> = sum_{ky,kx} G[(oy_i+ky, ox_i+kx), (oy_j+ky, ox_j+kx)],
// with G the Gram matrix of the pixels (C-dim dot products). PatchDots takes a band of node rows of
// the "row" map (content) and streams the "column" map (style, or the content again) past it a
// chunk of pixel rows at a time: one GEMM gives the pixel Gram block, a sum along the x-diagonal
// gives, per pair of pixel rows (ya, yb), the dot products of 1 x p strips, kept in a ring of the
// last R+p-1 column pixel rows; p of those summed along the y-diagonal are the patch dot products
// of a pair of node rows. That is p*p fewer flops than unfold + matmul, and the memory per thread
// grows with the band, never with the column map.
//
// Every dot product is summed in the same order (GEMM over channels, then kx, then ky), so
// identical patches get bit-identical dot products wherever they sit, and <P_i, Q_j> = <Q_j, P_i>
// exactly when the two maps are one (the symmetric intra edges rely on it).
#pragma once
#include <cstdint>
#include <functional>
#include <memory>

#include "graph/dnnl_matmul.h"
#include "graph/patch_stats.h"
#include "tensor/tensor.h"

namespace gs::graph {

class PatchDots {
 public:
  // dots: [Wr-p+1][Wc-p+1], dots[ox_i][ox_j] = <P(oy_i, ox_i), Q(oy_j, ox_j)>.
  using Visit = std::function<void(int64_t oy_i, int64_t oy_j, const float* dots)>;

  // Buffers of one thread: band operand, pixel Gram block, ring of strip dot products, patch dots.
  struct Scratch {
    Tensor band, gram, ring, dots;
  };

  // rows: [C,Hr,Wr], cols: [C,Hc,Wc] (same C); band_rows node rows per band, chunk_rows column
  // pixel rows per GEMM. Copies the shifted column map once (zero-padded at the bottom).
  PatchDots(const ShiftedMap& rows, const ShiftedMap& cols, int p, int64_t band_rows, int64_t chunk_rows);

  // Bytes of one Scratch for bands of band_rows node rows (and their p-1 halo rows): sizes the bands.
  static int64_t scratch_bytes(const ShiftedMap& rows, const ShiftedMap& cols, int p, int64_t band_rows,
                               int64_t chunk_rows);

  Scratch make_scratch() const;

  // Calls visit(oy_i, oy_j, dots) for every oy_i in [r0, r1) (r1 - r0 <= band_rows) and every
  // column node row oy_j >= col_start (in no particular order).
  void run_band(int64_t r0, int64_t r1, int64_t col_start, Scratch& scratch, const Visit& visit) const;

 private:
  void fill_band(int64_t r0, float* band) const;
  void strip_sums(int64_t y0, const float* gram, float* ring, int64_t col_start) const;
  void patch_sums(int64_t oy_i_local, int64_t oy_j, int64_t col_start, const float* ring, float* dots) const;
  int64_t ring_slot(int64_t y, int64_t col_start) const { return (y - col_start) % ring_rows_; }

  ShiftedMap rows_, cols_;
  int p_;
  int64_t band_rows_, chunk_rows_;
  int64_t band_pixel_rows_;   // band_rows + p - 1
  int64_t ring_rows_;         // chunk_rows + p - 1
  int64_t grid_wr_, grid_wc_, grid_hc_;
  int64_t padded_hc_;         // pixel rows of the column copy: every chunk stays inside it
  Tensor shifted_cols_;       // [C, padded_hc, Wc]: the GEMM's B operand
  std::unique_ptr<DnnlMatmul> gemm_;  // [band_pixel_rows*Wr, C] x [C, chunk_rows*Wc]
};

}  // namespace gs::graph
