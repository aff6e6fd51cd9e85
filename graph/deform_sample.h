// Deformable patch sampling (MODEL.md 2.5): the message of edge j -> i is style patch j resampled
// at content node i's scale s_i around the patch centre (cy, cx) = (oy_j + r, ox_j + r):
//   M_ij[c, u, v] = bilinear(Fs[c])(cy + s_i (u - r), cx + s_i (v - r)),  u, v = 0..p-1,
// each coordinate clamped to the map first (border replicate).
//
// Conventions (../shared/fixtures/README.md), kept by SampleGrid so every user agrees:
//  * y0 = floor(y), y1 = min(y0 + 1, H - 1), w = y - y0: the cell is [y0, y0 + 1], so at an integer
//    y the derivative is the right-sided F[y+1] - F[y], and 0 on the last row (y1 = y0);
//  * a coordinate outside [0, H-1] is clamped and passes no gradient; one exactly on a bound does.
// Bilinear sampling of a separable grid factorises per axis, so an edge is p row taps and p column
// taps; sample (u, v) mixes rows {y0, y1} of tap u with columns {x0, x1} of tap v.
#pragma once
#include <cstdint>
#include <vector>

#include "autograd/variable.h"
#include "graph/edge_list.h"
#include "graph/patches.h"

namespace gs::graph {

// One sample position along one axis: value = (1 - w) F[i0] + w F[i1].
struct Tap {
  int32_t i0 = 0, i1 = 0;  // the cell [i0, i0 + 1]; i1 = i0 on the last row or column
  float w = 0;             // position inside the cell, in [0, 1)
  float dpos = 0;          // d position / d s = (u - r), or 0 where the coordinate was clamped
};

// The taps of every edge of an EdgeList: edge e (its flat index in EdgeList::index) samples rows
// row(e)[0..p) and columns col(e)[0..p).
struct SampleGrid {
  int64_t edges = 0, p = 0;
  std::vector<Tap> rows, cols;  // [edges, p] each
  std::vector<uint8_t> exact;   // [edges]: every w is 0 (e.g. s = 1): the samples are a plain copy

  const Tap* row(int64_t e) const { return rows.data() + e * p; }
  const Tap* col(int64_t e) const { return cols.data() + e * p; }
};

// Taps for every edge, sampling a map of `source` geometry. s: one scale per content node, [n, nodes]
// as in `edges` (row-major floats), or nullptr for s = 1 (the patches themselves).
SampleGrid sample_grid(const EdgeList& edges, const float* s, const PatchGrid& source);

// fs: [N,C,H,W], s: [N,Nc] -> M: [N,Nc,k,C,p,p]; gradients to fs and s.
// Materialises every message: for tests, golden files and one-channel maps (attention keys).
ag::Variable deform_sample(const ag::Variable& fs, const EdgeList& edges, const ag::Variable& s, int64_t p);

}  // namespace gs::graph
