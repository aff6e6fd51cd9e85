#include "graph/deform_sample.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include "autograd/profiler.h"

namespace gs::graph {

namespace {
// The tap at `offset` = u - r from a patch centre, on an axis of length `size`. The position is
// formed in double: for a float32 scale and small integer offsets it is exact, so floor() and the
// clamp test see the same number the float64 reference sees (integer positions stay integers).
Tap make_tap(int64_t centre, float scale, int64_t offset, int64_t size) {
  const double pos = static_cast<double>(centre) + static_cast<double>(scale) * static_cast<double>(offset);
  const double top = static_cast<double>(size - 1);
  const double c = std::clamp(pos, 0.0, top);
  const double c0 = std::floor(c);
  Tap t;
  t.i0 = static_cast<int32_t>(c0);
  t.i1 = std::min<int32_t>(t.i0 + 1, static_cast<int32_t>(size - 1));
  t.w = static_cast<float>(c - c0);
  t.dpos = (pos < 0.0 || pos > top) ? 0.f : static_cast<float>(offset);
  return t;
}
}  // namespace

SampleGrid sample_grid(const EdgeList& edges, const float* s, const PatchGrid& source) {
  const int64_t p = source.p, r = source.r;
  SampleGrid grid;
  grid.edges = edges.size();
  grid.p = p;
  grid.rows.resize(grid.edges * p);
  grid.cols.resize(grid.edges * p);
  grid.exact.resize(grid.edges);
  const int64_t nodes = edges.n * edges.nodes;
  for (int64_t node = 0; s && node < nodes; ++node)
    if (!std::isfinite(s[node]))
      throw std::invalid_argument("deformable sampling: scale s[" + std::to_string(node) + "] = " +
                                  std::to_string(s[node]) + " is not finite");
#pragma omp parallel for if (nodes * edges.k > 4096)
  for (int64_t node = 0; node < nodes; ++node) {
    const float scale = s ? s[node] : 1.f;
    for (int64_t m = 0; m < edges.k; ++m) {
      const int64_t e = node * edges.k + m;
      const int64_t j = edges.index[e];
      const int64_t cy = j / source.cols + r, cx = j % source.cols + r;
      bool exact = true;
      for (int64_t u = 0; u < p; ++u) {
        const Tap ty = make_tap(cy, scale, u - r, source.height), tx = make_tap(cx, scale, u - r, source.width);
        grid.rows[e * p + u] = ty;
        grid.cols[e * p + u] = tx;
        exact = exact && ty.w == 0.f && tx.w == 0.f;
      }
      grid.exact[e] = exact;
    }
  }
  return grid;
}

// fs: [N,C,H,W], s: [N,Nc] -> M: [N,Nc,k,C,p,p]
ag::Variable deform_sample(const ag::Variable& fs, const EdgeList& edges, const ag::Variable& s, int64_t p) {
  ag::ForwardTimer timer(ag::Op::deform_sample);
  if (fs.dim() != 4) throw std::invalid_argument("deform_sample: fs must be [N,C,H,W], got " + shape_str(fs.shape()));
  const int64_t N = fs.size(0), C = fs.size(1), H = fs.size(2), W = fs.size(3);
  const PatchGrid source = patch_grid(H, W, p, "deform_sample: fs " + shape_str(fs.shape()));
  check_edges(edges, N, edges.nodes, source.nodes(), "deform_sample: fs " + shape_str(fs.shape()));
  if (s.shape() != Shape{N, edges.nodes})
    throw std::invalid_argument("deform_sample: s must be [N, Nc] = " + shape_str({N, edges.nodes}) + ", got " +
                                shape_str(s.shape()));
  const Tensor scales = s.value().contiguous();
  auto grid = std::make_shared<const SampleGrid>(sample_grid(edges, scales.data(), source));
  const int64_t E = edges.size(), per_image = edges.nodes * edges.k, pp = p * p;

  const Tensor f = fs.value().contiguous();
  Tensor M = Tensor::empty({N, edges.nodes, edges.k, C, p, p});
#pragma omp parallel for if (M.numel() > (1 << 16))
  for (int64_t e = 0; e < E; ++e) {
    const Tap* ty = grid->row(e);
    const Tap* tx = grid->col(e);
    for (int64_t c = 0; c < C; ++c) {
      const float* plane = f.data() + ((e / per_image) * C + c) * H * W;
      float* out = M.data() + (e * C + c) * pp;
      for (int64_t u = 0; u < p; ++u) {
        const float* r0 = plane + ty[u].i0 * W;
        const float* r1 = plane + ty[u].i1 * W;
        for (int64_t v = 0; v < p; ++v) {
          const float wx = tx[v].w;
          const float top = (1 - wx) * r0[tx[v].i0] + wx * r0[tx[v].i1];
          const float bottom = (1 - wx) * r1[tx[v].i0] + wx * r1[tx[v].i1];
          out[u * p + v] = (1 - ty[u].w) * top + ty[u].w * bottom;
        }
      }
    }
  }

  return ag::Variable::make_output(ag::Op::deform_sample, M, {fs, s}, [grid, E, per_image, k = edges.k, C, H, W, p, pp](
                                                   std::vector<ag::Variable>& in, const Tensor& g_any) {
    const Tensor g = g_any.contiguous();
    const Tensor f = in[0].value().contiguous();
    const bool need_f = in[0].requires_grad(), need_s = in[1].requires_grad();
    Tensor df = need_f ? Tensor::zeros(f.shape()) : Tensor();
    std::vector<double> ds(need_s ? E / k : 0, 0.0);
    // Serial: the scatter into df overlaps between edges. This op is for small cases only.
    for (int64_t e = 0; e < E; ++e) {
      const Tap* ty = grid->row(e);
      const Tap* tx = grid->col(e);
      double dscale = 0;
      for (int64_t c = 0; c < C; ++c) {
        const int64_t plane_at = ((e / per_image) * C + c) * H * W;
        const float* plane = f.data() + plane_at;
        const float* gp = g.data() + (e * C + c) * pp;
        for (int64_t u = 0; u < p; ++u) {
          const Tap& y = ty[u];
          for (int64_t v = 0; v < p; ++v) {
            const Tap& x = tx[v];
            const float gv = gp[u * p + v];
            if (need_f) {
              float* dp = df.data() + plane_at;
              dp[y.i0 * W + x.i0] += gv * (1 - y.w) * (1 - x.w);
              dp[y.i0 * W + x.i1] += gv * (1 - y.w) * x.w;
              dp[y.i1 * W + x.i0] += gv * y.w * (1 - x.w);
              dp[y.i1 * W + x.i1] += gv * y.w * x.w;
            }
            if (need_s) {
              const float f00 = plane[y.i0 * W + x.i0], f01 = plane[y.i0 * W + x.i1];
              const float f10 = plane[y.i1 * W + x.i0], f11 = plane[y.i1 * W + x.i1];
              // The derivative on the cell [y0, y0+1] x [x0, x0+1] (right-sided at integers).
              const float d_dy = (1 - x.w) * (f10 - f00) + x.w * (f11 - f01);
              const float d_dx = (1 - y.w) * (f01 - f00) + y.w * (f11 - f10);
              dscale += double(gv) * (y.dpos * d_dy + x.dpos * d_dx);
            }
          }
        }
      }
      if (need_s) ds[e / k] += dscale;
    }
    if (need_f) in[0].add_grad(df);
    if (need_s) {
      Tensor dst = Tensor::empty(in[1].shape());
      for (size_t i = 0; i < ds.size(); ++i) dst.data()[i] = static_cast<float>(ds[i]);
      in[1].add_grad(dst);
    }
  });
}

}  // namespace gs::graph
