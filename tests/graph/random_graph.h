// Random graphs for the graph-layer tests: edge lists and node scales whose sample coordinates keep
// clear of the kinks of bilinear sampling (integer coordinates and the clamp bounds), so that finite
// differences see a smooth function.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "graph/attention.h"
#include "graph/edge_list.h"
#include "graph/patches.h"
#include "tensor/tensor.h"

namespace gs::test {

// [n, nodes, k] edges into `sources` source nodes; with self_loop the last edge of node i is i.
inline graph::EdgeList random_edges(int64_t n, int64_t nodes, int64_t k, int64_t sources, Rng& rng,
                                    bool self_loop = false) {
  graph::EdgeList e{n, nodes, k, {}};
  for (int64_t b = 0; b < n; ++b)
    for (int64_t i = 0; i < nodes; ++i)
      for (int64_t m = 0; m < k; ++m)
        e.index.push_back(self_loop && m == k - 1 ? static_cast<int32_t>(i)
                                                  : static_cast<int32_t>(rng.next() % sources));
  return e;
}

// Does any coordinate cy + s (u - r) of these edges lie within `margin` of an integer inside the map
// (the clamp bounds 0 and size-1 are integers too)?
inline bool near_kink(double centre, double s, int64_t r, int64_t size, double margin) {
  for (int64_t off = -r; off <= r; ++off) {
    const double y = centre + s * static_cast<double>(off);
    if (y > -margin && y < static_cast<double>(size - 1) + margin && std::fabs(y - std::round(y)) < margin)
      if (off != 0) return true;  // offset 0 sits on the centre for every s: its derivative is 0 anyway
  }
  return false;
}

// s [n, nodes] uniform in [lo, hi], redrawn until every sample coordinate of node i's edges keeps
// `margin` away from the kinks of the source grid `src`.
inline Tensor smooth_scales(const graph::EdgeList& edges, const graph::PatchGrid& src, Rng& rng, float lo = 0.55f,
                            float hi = 2.2f, double margin = 0.06) {
  Tensor s = Tensor::empty({edges.n, edges.nodes});
  for (int64_t node = 0; node < edges.n * edges.nodes; ++node) {
    for (;;) {
      const float v = rng.uniform(lo, hi);
      bool ok = true;
      for (int64_t m = 0; m < edges.k && ok; ++m) {
        const int64_t j = edges.index[node * edges.k + m];
        ok = !near_kink(double(j / src.cols + src.r), v, src.r, src.height, margin) &&
             !near_kink(double(j % src.cols + src.r), v, src.r, src.width, margin);
      }
      if (ok) {
        s.data()[node] = v;
        break;
      }
    }
  }
  return s;
}

// How far the intra-domain logits q_i + key_j (before LeakyReLU) stay from its kink at 0; gradient
// checks draw inputs until this exceeds the finite-difference reach. f1: [1,C,H,W], one image.
inline float intra_logit_margin(const Tensor& f1, const graph::EdgeList& edges, const Tensor& Wk, const Tensor& aq,
                                const Tensor& ak, int64_t p) {
  using ag::Variable;
  const Tensor q = graph::patch_mean(graph::score_map(Variable(f1), Variable(Wk), Variable(aq)), p).value();
  const Tensor key = graph::patch_mean(graph::score_map(Variable(f1), Variable(Wk), Variable(ak)), p).value();
  float margin = INFINITY;
  for (int64_t e = 0; e < edges.size(); ++e)
    margin = std::min(margin, std::fabs(q.data()[e / edges.k] + key.data()[edges.index[e]]));
  return margin;
}

}  // namespace gs::test
