#include "graph/message_passing.h"

#include <omp.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "graph/channel_blocks.h"
#include "graph/deform_sample.h"
#include "graph/patches.h"
#include "autograd/profiler.h"

namespace gs::graph {

namespace {

// One fused fold: messages sampled from `source` (taps per edge) and folded onto `content`.
struct FoldPlan {
  PatchGrid content, source;
  int64_t k = 0;
  std::shared_ptr<const SampleGrid> taps;
};

// Top-left pixel of content node i in a blocked plane.
inline int64_t window_at(const PatchGrid& g, int64_t i) { return ((i / g.cols) * g.width + i % g.cols) * kLanes; }

// window(u, v) += sum_m alpha_m M_m(u, v) over one channel block, for the k in-edges e0 .. e0+k-1 of
// one node. window: the node's top-left pixel in the blocked output plane (rows of out_width
// pixels); src: the blocked source plane. The sum over the edges stays in registers, so each output
// pixel is read and written once per node rather than once per edge.
inline void add_node_messages(float* window, int64_t out_width, const float* src, int64_t src_width,
                              const SampleGrid& taps, int64_t e0, int64_t k, const float* alpha) {
  const int64_t p = taps.p, row_stride = src_width * kLanes;
  for (int64_t u = 0; u < p; ++u)
    for (int64_t v = 0; v < p; ++v) {
      float acc[kLanes] = {};
      for (int64_t e = e0; e < e0 + k; ++e) {
        const Tap& y = taps.row(e)[u];
        const Tap& x = taps.col(e)[v];
        const float a = alpha[e];
        if (taps.exact[e]) {  // integer coordinates (s = 1, intra edges): one pixel, no interpolation
          const float* c = src + y.i0 * row_stride + x.i0 * kLanes;
#pragma omp simd
          for (int64_t l = 0; l < kLanes; ++l) acc[l] += a * c[l];
          continue;
        }
        const float a0 = a * (1 - y.w), a1 = a * y.w;
        const float w00 = a0 * (1 - x.w), w01 = a0 * x.w, w10 = a1 * (1 - x.w), w11 = a1 * x.w;
        const float* r0 = src + y.i0 * row_stride;
        const float* r1 = src + y.i1 * row_stride;
        const float *c00 = r0 + x.i0 * kLanes, *c01 = r0 + x.i1 * kLanes;
        const float *c10 = r1 + x.i0 * kLanes, *c11 = r1 + x.i1 * kLanes;
#pragma omp simd
        for (int64_t l = 0; l < kLanes; ++l) acc[l] += w00 * c00[l] + w01 * c01[l] + w10 * c10[l] + w11 * c11[l];
      }
      float* out = window + (u * out_width + v) * kLanes;
#pragma omp simd
      for (int64_t l = 0; l < kLanes; ++l) out[l] += acc[l];
    }
}

// src: blocked [N,B,Hs*Ws,L], alpha: [N*Nc*k] -> blocked [N,B,Hc*Wc,L]
ChannelBlocks fold_forward(const ChannelBlocks& src, const FoldPlan& plan, const float* alpha) {
  const PatchGrid& cg = plan.content;
  ChannelBlocks out = empty_blocks(src.n, src.channels, cg.height, cg.width);  // zeroed by its owning thread
  const Tensor count = coverage_map(cg);
  const int64_t nodes = cg.nodes(), k = plan.k, HW = cg.height * cg.width;
#pragma omp parallel for collapse(2) schedule(static)
  for (int64_t n = 0; n < src.n; ++n)
    for (int64_t blk = 0; blk < src.blocks; ++blk) {
      const float* S = src.plane(n, blk);
      float* O = out.plane(n, blk);
      std::fill(O, O + out.plane_size(), 0.f);
      for (int64_t i = 0; i < nodes; ++i)
        add_node_messages(O + window_at(cg, i), cg.width, S, plan.source.width, *plan.taps, (n * nodes + i) * k, k,
                          alpha);
      for (int64_t px = 0; px < HW; ++px) {
        const float c = count.data()[px];
        for (int64_t l = 0; l < kLanes; ++l) O[px * kLanes + l] /= c;
      }
    }
  return out;
}

// What the backward of one fold is asked for; null pointers are not needed.
struct FoldGrads {
  float* alpha = nullptr;       // [N*Nc*k]: <dh_i, M_ij>
  float* edge_scale = nullptr;  // [N*Nc*k]: alpha_ij <dh_i, dM_ij/ds_i>; summed over j later
  ChannelBlocks* src = nullptr; // blocked d source (uninitialised: each thread zeroes its planes)
};

// Per-lane partial sums of one edge over one channel block.
struct EdgeSums {
  float alpha[kLanes] = {};  // <dh_i, M_ij>
  float scale[kLanes] = {};  // <dh_i, dM_ij/ds_i>
};

// One edge over one channel block: the dot products of dh (the window of gd at node i) with the
// message and with its s-derivative, and alpha * (bilinear weight) * dh scattered into dsrc.
inline void edge_backward(const float* gwin, int64_t out_width, const float* src, float* dsrc, int64_t src_width,
                          const SampleGrid& taps, int64_t e, float a, bool need_alpha, bool need_scale, EdgeSums& sums) {
  const int64_t p = taps.p;
  const Tap* ty = taps.row(e);
  const Tap* tx = taps.col(e);
  for (int64_t u = 0; u < p; ++u) {
    const Tap& y = ty[u];
    const int64_t r0 = y.i0 * src_width * kLanes, r1 = y.i1 * src_width * kLanes;
    const float* grow = gwin + u * out_width * kLanes;
    for (int64_t v = 0; v < p; ++v) {
      const Tap& x = tx[v];
      const float* g = grow + v * kLanes;
      const int64_t o00 = r0 + x.i0 * kLanes, o01 = r0 + x.i1 * kLanes, o10 = r1 + x.i0 * kLanes,
                    o11 = r1 + x.i1 * kLanes;
      const float *c00 = src + o00, *c01 = src + o01, *c10 = src + o10, *c11 = src + o11;
      if (taps.exact[e]) {  // w = 0: M = c00, and the cell's derivatives are plain differences
        if (need_alpha)
#pragma omp simd
          for (int64_t l = 0; l < kLanes; ++l) sums.alpha[l] += g[l] * c00[l];
        if (need_scale)
#pragma omp simd
          for (int64_t l = 0; l < kLanes; ++l) sums.scale[l] += g[l] * (y.dpos * (c10[l] - c00[l]) + x.dpos * (c01[l] - c00[l]));
        if (dsrc)
#pragma omp simd
          for (int64_t l = 0; l < kLanes; ++l) dsrc[o00 + l] += a * g[l];
        continue;
      }
      const float w00 = (1 - y.w) * (1 - x.w), w01 = (1 - y.w) * x.w, w10 = y.w * (1 - x.w), w11 = y.w * x.w;
      if (need_alpha)
#pragma omp simd
        for (int64_t l = 0; l < kLanes; ++l)
          sums.alpha[l] += g[l] * (w00 * c00[l] + w01 * c01[l] + w10 * c10[l] + w11 * c11[l]);
      if (need_scale) {
        // dM/ds = dpos_y dM/dy + dpos_x dM/dx on the cell [y0, y0+1] x [x0, x0+1], written as one
        // weight per corner: dM/dy = (1-wx)(c10-c00) + wx(c11-c01), dM/dx = (1-wy)(c01-c00) + wy(c11-c10).
        const float d00 = -y.dpos * (1 - x.w) - x.dpos * (1 - y.w), d01 = -y.dpos * x.w + x.dpos * (1 - y.w);
        const float d10 = y.dpos * (1 - x.w) - x.dpos * y.w, d11 = y.dpos * x.w + x.dpos * y.w;
#pragma omp simd
        for (int64_t l = 0; l < kLanes; ++l)
          sums.scale[l] += g[l] * (d00 * c00[l] + d01 * c01[l] + d10 * c10[l] + d11 * c11[l]);
      }
      if (dsrc) {  // corners coincide on the last row or column: separate passes accumulate correctly
        const float b00 = a * w00, b01 = a * w01, b10 = a * w10, b11 = a * w11;
        for (int64_t l = 0; l < kLanes; ++l) dsrc[o00 + l] += b00 * g[l];
        for (int64_t l = 0; l < kLanes; ++l) dsrc[o01 + l] += b01 * g[l];
        for (int64_t l = 0; l < kLanes; ++l) dsrc[o10 + l] += b10 * g[l];
        for (int64_t l = 0; l < kLanes; ++l) dsrc[o11 + l] += b11 * g[l];
      }
    }
  }
}

// src: blocked source, gd: blocked dF / count [N,B,Hc*Wc,L], alpha: [N*Nc*k].
void fold_backward(const ChannelBlocks& src, const ChannelBlocks& gd, const FoldPlan& plan, const float* alpha,
                   FoldGrads& out) {
  const PatchGrid& cg = plan.content;
  const int64_t nodes = cg.nodes(), k = plan.k, E = src.n * nodes * k;
  const bool need_alpha = out.alpha, need_scale = out.edge_scale, need_sums = need_alpha || need_scale;
  // Each thread sums its channel blocks' share of every edge's dot products; added up at the end.
  const int threads = omp_get_max_threads();
  std::vector<float> part_alpha(need_sums ? threads * E : 0, 0.f), part_scale(need_sums ? threads * E : 0, 0.f);
#pragma omp parallel
  {
    const int t = omp_get_thread_num();
#pragma omp for collapse(2) schedule(static)
    for (int64_t n = 0; n < src.n; ++n)
      for (int64_t blk = 0; blk < src.blocks; ++blk) {
        const float* S = src.plane(n, blk);
        const float* G = gd.plane(n, blk);
        float* D = out.src ? out.src->plane(n, blk) : nullptr;
        if (D) std::fill(D, D + out.src->plane_size(), 0.f);
        for (int64_t i = 0; i < nodes; ++i)
          for (int64_t m = 0; m < k; ++m) {
            const int64_t e = (n * nodes + i) * k + m;
            EdgeSums sums;
            edge_backward(G + window_at(cg, i), cg.width, S, D, plan.source.width, *plan.taps, e, alpha[e], need_alpha,
                          need_scale, sums);
            if (need_sums) {
              float sa = 0, ss = 0;
              for (int64_t l = 0; l < kLanes; ++l) sa += sums.alpha[l], ss += sums.scale[l];
              part_alpha[t * E + e] += sa;
              part_scale[t * E + e] += alpha[e] * ss;
            }
          }
      }
  }
  for (int64_t e = 0; e < E && need_sums; ++e)
    for (int t = 0; t < threads; ++t) {
      if (out.alpha) out.alpha[e] += part_alpha[t * E + e];
      if (out.edge_scale) out.edge_scale[e] += part_scale[t * E + e];
    }
}

// The autograd op shared by aggregate_fold and gather_fold: inputs {src, alpha, s (may be undefined)}.
ag::Variable fused_fold(const ag::Variable& src, const ag::Variable& alpha, const ag::Variable& s, FoldPlan plan) {
  ag::ForwardTimer timer(ag::Op::fused_fold);
  const Tensor a = alpha.value().contiguous();
  const ChannelBlocks out = fold_forward(to_blocks(src.value()), plan, a.data());
  std::vector<ag::Variable> inputs{src, alpha};
  if (s.defined()) inputs.push_back(s);
  return ag::Variable::make_output(ag::Op::fused_fold, from_blocks(out), inputs, [plan](std::vector<ag::Variable>& in, const Tensor& g) {
    const bool need_src = in[0].requires_grad(), need_alpha = in[1].requires_grad();
    const bool need_s = in.size() > 2 && in[2].requires_grad();
    if (!need_src && !need_alpha && !need_s) return;
    const PatchGrid& cg = plan.content;
    const ChannelBlocks src = to_blocks(in[0].value());
    Tensor inv_count = coverage_map(cg);
    for (int64_t px = 0; px < inv_count.numel(); ++px) inv_count.data()[px] = 1.f / inv_count.data()[px];
    const ChannelBlocks gd = to_blocks(g, inv_count);  // dh_i is the window of dF / count
    const int64_t E = src.n * cg.nodes() * plan.k;
    const Tensor a = in[1].value().contiguous();
    Tensor dalpha = need_alpha ? Tensor::zeros(in[1].shape()) : Tensor();
    std::vector<float> edge_scale(need_s ? E : 0, 0.f);
    ChannelBlocks dsrc = need_src ? empty_blocks(src.n, src.channels, src.height, src.width) : ChannelBlocks();
    FoldGrads grads{need_alpha ? dalpha.data() : nullptr, need_s ? edge_scale.data() : nullptr,
                    need_src ? &dsrc : nullptr};
    fold_backward(src, gd, plan, a.data(), grads);
    if (need_src) in[0].add_grad(from_blocks(dsrc));
    if (need_alpha) in[1].add_grad(dalpha);
    if (need_s) {
      Tensor ds = Tensor::zeros(in[2].shape());
      for (int64_t e = 0; e < E; ++e) ds.data()[e / plan.k] += edge_scale[e];
      in[2].add_grad(ds);
    }
  });
}

void check_attention(const ag::Variable& att, const EdgeList& edges, const std::string& what) {
  if (att.shape() != edges.shape())
    throw std::invalid_argument(what + ": attention " + shape_str(att.shape()) + " must match the edges " +
                                shape_str(edges.shape()));
}

}  // namespace

ag::Variable aggregate_fold(const ag::Variable& fs, const EdgeList& edges, const ag::Variable& s,
                            const ag::Variable& alpha, int64_t p, int64_t height, int64_t width) {
  if (fs.dim() != 4) throw std::invalid_argument("aggregate_fold: fs must be [N,C,H,W], got " + shape_str(fs.shape()));
  const std::string what = "aggregate_fold: fs " + shape_str(fs.shape());
  FoldPlan plan;
  plan.content = patch_grid(height, width, p, what + ", output " + std::to_string(height) + "x" + std::to_string(width));
  plan.source = patch_grid(fs.size(2), fs.size(3), p, what);
  plan.k = edges.k;
  check_edges(edges, fs.size(0), plan.content.nodes(), plan.source.nodes(), what);
  check_attention(alpha, edges, what);
  if (s.shape() != Shape{edges.n, edges.nodes})
    throw std::invalid_argument(what + ": s must be [N, Nc] = " + shape_str({edges.n, edges.nodes}) + ", got " +
                                shape_str(s.shape()));
  const Tensor scales = s.value().contiguous();
  plan.taps = std::make_shared<const SampleGrid>(sample_grid(edges, scales.data(), plan.source));
  return fused_fold(fs, alpha, s, std::move(plan));
}

ag::Variable gather_fold(const ag::Variable& f1, const EdgeList& edges, const ag::Variable& beta, int64_t p) {
  if (f1.dim() != 4) throw std::invalid_argument("gather_fold: f1 must be [N,C,H,W], got " + shape_str(f1.shape()));
  const std::string what = "gather_fold: f1 " + shape_str(f1.shape());
  FoldPlan plan;
  plan.content = plan.source = patch_grid(f1.size(2), f1.size(3), p, what);
  plan.k = edges.k;
  check_edges(edges, f1.size(0), plan.content.nodes(), plan.content.nodes(), what);
  check_attention(beta, edges, what);
  plan.taps = std::make_shared<const SampleGrid>(sample_grid(edges, nullptr, plan.source));  // Q_j: s = 1
  return fused_fold(f1, beta, ag::Variable(), std::move(plan));
}

GatOutput gat_inter(const ag::Variable& fc, const ag::Variable& fs, const EdgeList& edges, const ag::Variable& s,
                    const ag::Variable& Wc, const ag::Variable& Ws, const ag::Variable& ac, const ag::Variable& as,
                    int64_t p, Aggregator aggregator) {
  ag::Variable alpha = inter_attention(fc, fs, edges, s, Wc, Ws, ac, as, p, aggregator);
  return {aggregate_fold(fs, edges, s, alpha, p, fc.size(2), fc.size(3)), alpha};
}

GatOutput gat_intra(const ag::Variable& f1, const EdgeList& edges, const ag::Variable& Wk, const ag::Variable& aq,
                    const ag::Variable& ak, int64_t p, Aggregator aggregator) {
  ag::Variable beta = intra_attention(f1, edges, Wk, aq, ak, p, aggregator);
  return {gather_fold(f1, edges, beta, p), beta};
}

}  // namespace gs::graph
