#include "graph/max_fold.h"

#include <omp.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <stdexcept>
#include <vector>

#include "autograd/profiler.h"
#include "graph/channel_blocks.h"
#include "graph/deform_sample.h"
#include "graph/patches.h"

namespace gs::graph {

namespace {

struct MaxPlan {
  PatchGrid content, source;
  int64_t k = 0;
  std::shared_ptr<const SampleGrid> taps;
};

// Top-left pixel of content node i in a blocked plane.
inline int64_t window_at(const PatchGrid& g, int64_t i) { return ((i / g.cols) * g.width + i % g.cols) * kLanes; }

// The four corners of sample (u, v) of edge e in a blocked source plane, and their bilinear weights.
struct Corners {
  int64_t o00, o01, o10, o11;
  float w00, w01, w10, w11;
};

inline Corners corners(const SampleGrid& taps, int64_t e, int64_t u, int64_t v, int64_t src_width) {
  const Tap& y = taps.row(e)[u];
  const Tap& x = taps.col(e)[v];
  const int64_t r0 = y.i0 * src_width * kLanes, r1 = y.i1 * src_width * kLanes;
  return {r0 + x.i0 * kLanes, r0 + x.i1 * kLanes, r1 + x.i0 * kLanes, r1 + x.i1 * kLanes,
          (1 - y.w) * (1 - x.w), (1 - y.w) * x.w, y.w * (1 - x.w), y.w * x.w};
}

// best[l] = max over the k edges e0.. of sample (u, v) of the source, arg[l] = its edge (first on ties).
inline void max_sample(const float* src, int64_t src_width, const SampleGrid& taps, int64_t e0, int64_t k, int64_t u,
                       int64_t v, float* best, int32_t* arg) {
  std::fill(best, best + kLanes, -std::numeric_limits<float>::infinity());
  for (int64_t m = 0; m < k; ++m) {
    const int64_t e = e0 + m;
    const Corners c = corners(taps, e, u, v, src_width);
    float val[kLanes];
    if (taps.exact[e]) {
#pragma omp simd
      for (int64_t l = 0; l < kLanes; ++l) val[l] = src[c.o00 + l];
    } else {
#pragma omp simd
      for (int64_t l = 0; l < kLanes; ++l)
        val[l] = c.w00 * src[c.o00 + l] + c.w01 * src[c.o01 + l] + c.w10 * src[c.o10 + l] + c.w11 * src[c.o11 + l];
    }
    if (arg) {
      for (int64_t l = 0; l < kLanes; ++l)
        if (val[l] > best[l]) best[l] = val[l], arg[l] = static_cast<int32_t>(m);
    } else {
#pragma omp simd
      for (int64_t l = 0; l < kLanes; ++l) best[l] = std::max(best[l], val[l]);
    }
  }
}

// ys, yc blocked -> blocked F1 [N,B,Hc*Wc,L]
ChannelBlocks max_fold_forward(const ChannelBlocks& ys, const ChannelBlocks& yc, const MaxPlan& plan) {
  const PatchGrid& cg = plan.content;
  ChannelBlocks out = empty_blocks(ys.n, ys.channels, cg.height, cg.width);
  const Tensor count = coverage_map(cg);
  const int64_t nodes = cg.nodes(), k = plan.k, HW = cg.height * cg.width, p = cg.p;
#pragma omp parallel for collapse(2) schedule(static)
  for (int64_t n = 0; n < ys.n; ++n)
    for (int64_t blk = 0; blk < ys.blocks; ++blk) {
      const float* S = ys.plane(n, blk);
      const float* Y = yc.plane(n, blk);
      float* O = out.plane(n, blk);
      std::fill(O, O + out.plane_size(), 0.f);
      float best[kLanes];
      for (int64_t i = 0; i < nodes; ++i) {
        const int64_t w0 = window_at(cg, i);
        for (int64_t u = 0; u < p; ++u)
          for (int64_t v = 0; v < p; ++v) {
            max_sample(S, plan.source.width, *plan.taps, (n * nodes + i) * k, k, u, v, best, nullptr);
            const int64_t at = w0 + (u * cg.width + v) * kLanes;
#pragma omp simd
            for (int64_t l = 0; l < kLanes; ++l) O[at + l] += std::max(0.f, Y[at + l] + best[l]);
          }
      }
      for (int64_t px = 0; px < HW; ++px) {
        const float c = count.data()[px];
        for (int64_t l = 0; l < kLanes; ++l) O[px * kLanes + l] /= c;
      }
    }
  return out;
}

struct MaxGrads {
  ChannelBlocks* ys = nullptr;  // uninitialised: each thread zeroes its planes
  ChannelBlocks* yc = nullptr;
  float* s = nullptr;           // [N*Nc]
};

// gd: blocked dF1 / count. Recomputes each max; the open ReLUs pass gd to yc, and to ys and s through
// the arg-max sample of each lane.
void max_fold_backward(const ChannelBlocks& ys, const ChannelBlocks& yc, const ChannelBlocks& gd, const MaxPlan& plan,
                       MaxGrads& out) {
  const PatchGrid& cg = plan.content;
  const SampleGrid& taps = *plan.taps;
  const int64_t nodes = cg.nodes(), k = plan.k, p = cg.p, sw = plan.source.width, NN = ys.n * nodes;
  const int threads = omp_get_max_threads();
  std::vector<float> part_s(out.s ? threads * NN : 0, 0.f);
#pragma omp parallel
  {
    const int t = omp_get_thread_num();
#pragma omp for collapse(2) schedule(static)
    for (int64_t n = 0; n < ys.n; ++n)
      for (int64_t blk = 0; blk < ys.blocks; ++blk) {
        const float* S = ys.plane(n, blk);
        const float* Y = yc.plane(n, blk);
        const float* G = gd.plane(n, blk);
        float* DS = out.ys ? out.ys->plane(n, blk) : nullptr;
        float* DC = out.yc ? out.yc->plane(n, blk) : nullptr;
        if (DS) std::fill(DS, DS + out.ys->plane_size(), 0.f);
        if (DC) std::fill(DC, DC + out.yc->plane_size(), 0.f);
        float best[kLanes];
        int32_t arg[kLanes];
        for (int64_t i = 0; i < nodes; ++i) {
          const int64_t w0 = window_at(cg, i), e0 = (n * nodes + i) * k;
          float dscale = 0.f;
          for (int64_t u = 0; u < p; ++u)
            for (int64_t v = 0; v < p; ++v) {
              max_sample(S, sw, taps, e0, k, u, v, best, arg);
              const int64_t at = w0 + (u * cg.width + v) * kLanes;
              for (int64_t l = 0; l < kLanes; ++l) {
                if (!(Y[at + l] + best[l] > 0.f)) continue;
                const float g = G[at + l];
                if (DC) DC[at + l] += g;
                if (!DS && !out.s) continue;
                const int64_t e = e0 + arg[l];
                const Corners c = corners(taps, e, u, v, sw);
                if (DS) {  // corners coincide on the last row or column: separate adds accumulate correctly
                  DS[c.o00 + l] += c.w00 * g;
                  DS[c.o01 + l] += c.w01 * g;
                  DS[c.o10 + l] += c.w10 * g;
                  DS[c.o11 + l] += c.w11 * g;
                }
                if (out.s) {  // dM/ds on the cell [y0, y0+1] x [x0, x0+1], as in aggregate_fold
                  const Tap& y = taps.row(e)[u];
                  const Tap& x = taps.col(e)[v];
                  const float d00 = -y.dpos * (1 - x.w) - x.dpos * (1 - y.w), d01 = -y.dpos * x.w + x.dpos * (1 - y.w);
                  const float d10 = y.dpos * (1 - x.w) - x.dpos * y.w, d11 = y.dpos * x.w + x.dpos * y.w;
                  dscale += g * (d00 * S[c.o00 + l] + d01 * S[c.o01 + l] + d10 * S[c.o10 + l] + d11 * S[c.o11 + l]);
                }
              }
            }
          if (out.s) part_s[t * NN + n * nodes + i] += dscale;
        }
      }
  }
  for (int64_t node = 0; node < NN && out.s; ++node)
    for (int t = 0; t < threads; ++t) out.s[node] += part_s[t * NN + node];
}

}  // namespace

// ys: [N,C,Hs,Ws], yc: [N,C,Hc,Wc], s: [N,Nc] -> [N,C,Hc,Wc]
ag::Variable max_message_fold(const ag::Variable& ys, const ag::Variable& yc, const EdgeList& edges,
                              const ag::Variable& s, int64_t p) {
  // Recorded as a fused fold (autograd/op_table.h): the profile counts it with the other streamed folds.
  ag::ForwardTimer timer(ag::Op::fused_fold);
  if (ys.dim() != 4 || yc.dim() != 4 || ys.size(0) != yc.size(0) || ys.size(1) != yc.size(1))
    throw std::invalid_argument("max_message_fold: ys " + shape_str(ys.shape()) + " and yc " + shape_str(yc.shape()) +
                                " must be [N,C,H,W] with the same N and C");
  const std::string what = "max_message_fold: ys " + shape_str(ys.shape()) + ", yc " + shape_str(yc.shape());
  MaxPlan plan;
  plan.content = patch_grid(yc.size(2), yc.size(3), p, what);
  plan.source = patch_grid(ys.size(2), ys.size(3), p, what);
  plan.k = edges.k;
  check_edges(edges, ys.size(0), plan.content.nodes(), plan.source.nodes(), what);
  if (s.shape() != Shape{edges.n, edges.nodes})
    throw std::invalid_argument(what + ": s must be [N, Nc] = " + shape_str({edges.n, edges.nodes}) + ", got " +
                                shape_str(s.shape()));
  const Tensor scales = s.value().contiguous();
  plan.taps = std::make_shared<const SampleGrid>(sample_grid(edges, scales.data(), plan.source));
  const ChannelBlocks out = max_fold_forward(to_blocks(ys.value()), to_blocks(yc.value()), plan);
  return ag::Variable::make_output(ag::Op::fused_fold, from_blocks(out), {ys, yc, s}, [plan](std::vector<ag::Variable>& in, const Tensor& g) {
    const bool need_ys = in[0].requires_grad(), need_yc = in[1].requires_grad(), need_s = in[2].requires_grad();
    if (!need_ys && !need_yc && !need_s) return;
    const ChannelBlocks bys = to_blocks(in[0].value()), byc = to_blocks(in[1].value());
    Tensor inv_count = coverage_map(plan.content);
    for (int64_t px = 0; px < inv_count.numel(); ++px) inv_count.data()[px] = 1.f / inv_count.data()[px];
    const ChannelBlocks gd = to_blocks(g, inv_count);
    ChannelBlocks dys = need_ys ? empty_blocks(bys.n, bys.channels, bys.height, bys.width) : ChannelBlocks();
    ChannelBlocks dyc = need_yc ? empty_blocks(byc.n, byc.channels, byc.height, byc.width) : ChannelBlocks();
    Tensor ds = need_s ? Tensor::zeros(in[2].shape()) : Tensor();
    MaxGrads grads{need_ys ? &dys : nullptr, need_yc ? &dyc : nullptr, need_s ? ds.data() : nullptr};
    max_fold_backward(bys, byc, gd, plan, grads);
    if (need_ys) in[0].add_grad(from_blocks(dys));
    if (need_yc) in[1].add_grad(from_blocks(dyc));
    if (need_s) in[2].add_grad(ds);
  });
}

}  // namespace gs::graph
