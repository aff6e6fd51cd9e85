// Per-patch statistics for NCC and squared distances: everything except the patch dot products.
// A patch is the p x p window with top-left corner (oy, ox), node index oy*(W-p+1)+ox (MODEL.md 2.1).
#pragma once
#include <cstdint>
#include <vector>

namespace gs::graph {

// A [C,H,W] feature map seen through one scalar shift: value = data[c,y,x] - shift. NCC ignores the
// shift and a squared distance ignores a shift shared by both maps, but the float32 Gram does not:
// centring the map shrinks the magnitudes and with them the rounding error of every dot product.
struct ShiftedMap {
  const float* data = nullptr;  // contiguous [C,H,W]
  int64_t C = 0, H = 0, W = 0;
  float shift = 0.f;

  // Every kernel reads the map through this one expression, so equal inputs stay bit-equal.
  float at_pixel(int64_t c, int64_t a) const { return data[c * H * W + a] - shift; }  // a = y*W + x
  float at(int64_t c, int64_t y, int64_t x) const { return at_pixel(c, y * W + x); }
  int64_t grid_h(int p) const { return H - p + 1; }
  int64_t grid_w(int p) const { return W - p + 1; }
};

// Mean of the n values (in double); throws std::invalid_argument naming `what` if one is NaN or inf.
float finite_mean(const float* x, int64_t n, const char* what);

struct PatchStats {
  int64_t grid_h = 0, grid_w = 0;
  std::vector<float> sum;       // [N] sum of the D = C*p*p elements of the (shifted) patch
  std::vector<double> sumsq;    // [N] sum of their squares
  std::vector<float> inv_norm;  // [N] 1 / (|z| + 1e-8), z = patch - mean(patch); exactly 0 for a constant patch
  std::vector<float> self_ncc;  // [N] NCC of the patch with itself: |z|^2 / (|z| + 1e-8)^2 (0 if constant)

  int64_t nodes() const { return grid_h * grid_w; }
};

// map: [C,H,W] -> stats of its (H-p+1)*(W-p+1) patches. Window sums are taken directly (not as
// differences of running sums), so identical patches get bit-identical statistics.
PatchStats patch_stats(const ShiftedMap& map, int p);

}  // namespace gs::graph
