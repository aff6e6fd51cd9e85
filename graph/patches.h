// Feat2Patch and Patch2Feat (MODEL.md 2.1, 2.7): the p x p patches of a map at stride 1 without
// padding, in F.unfold's column layout [N, C*p*p, L] (row d = c*p*p + ky*p + kx, column = node
// i = oy*(W-p+1) + ox), and the overlap-averaging fold back onto the map.
//
// unfold and fold_average materialise every patch column (p*p times the map): they are for tests,
// golden files and small maps. The model's message passing (graph/message_passing.h) folds without
// materialising patches.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>

#include "autograd/variable.h"

namespace gs::graph {

// The node grid of an H x W map with p x p patches: rows x cols nodes, radius r = (p-1)/2.
struct PatchGrid {
  int64_t height = 0, width = 0, p = 0, r = 0, rows = 0, cols = 0;
  int64_t nodes() const { return rows * cols; }
};

// Throws (naming `what`) for an even or non-positive p or a map smaller than p.
PatchGrid patch_grid(int64_t height, int64_t width, int64_t p, const std::string& what);

// How many of the stride-1 windows of length p along an axis of length `size` cover position y.
inline int64_t coverage(int64_t y, int64_t size, int64_t p) {
  return std::min(y, size - p) - std::max<int64_t>(0, y - p + 1) + 1;
}

// [H, W]: the number of patches covering each pixel (the divisor of fold_average).
Tensor coverage_map(const PatchGrid& grid);

// Tensor kernels. unfold_columns: [N,C,H,W] -> [N,C*p*p,L]; fold_sum: [N,C*p*p,L] -> [N,C,H,W]
// (overlaps summed; the adjoint of unfold_columns).
Tensor unfold_columns(const Tensor& x, int64_t p);
Tensor fold_sum(const Tensor& cols, int64_t height, int64_t width, int64_t p);

// x: [N,C,H,W] -> [N, C*p*p, L]
ag::Variable unfold(const ag::Variable& x, int64_t p);

// cols: [N, C*p*p, L] -> [N,C,H,W]: overlapping patches summed, divided by their number per pixel.
ag::Variable fold_average(const ag::Variable& cols, int64_t height, int64_t width, int64_t p);

// map: [N,1,H,W] -> [N, L]: the mean of the p x p patch of each node (an average pool, stride 1).
// This is q_i of MODEL.md 2.6 and 2.8 when `map` is a score map.
ag::Variable patch_mean(const ag::Variable& map, int64_t p);

}  // namespace gs::graph
