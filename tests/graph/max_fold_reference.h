// The max message fold computed from materialised messages (graph::deform_sample), for the tests of
// graph/max_fold.h and of the edgeconv aggregator.
#pragma once
#include <algorithm>
#include <cmath>
#include <limits>

#include "graph/deform_sample.h"
#include "graph/patches.h"

namespace gs::test {

// The max fold from materialised messages: F1 = fold_average of ReLU(patch_i(yc) + max_j M_ij).
// *margin receives the smallest gap, over every node, channel and patch pixel, between the largest and
// the second largest message and between the ReLU's input and 0: finite differences need both wider
// than their reach.
inline Tensor max_fold_reference(const Tensor& ys, const Tensor& yc, const graph::EdgeList& edges, const Tensor& s, int64_t p,
                 float* margin) {
  const Tensor M = graph::deform_sample(ag::Variable(ys), edges, ag::Variable(s), p).value();  // [N,Nc,k,C,p,p]
  const int64_t N = yc.size(0), C = yc.size(1), H = yc.size(2), W = yc.size(3), k = edges.k, cols = W - p + 1;
  Tensor sum = Tensor::zeros(yc.shape());
  float gap = std::numeric_limits<float>::infinity();
  for (int64_t n = 0; n < N; ++n)
    for (int64_t i = 0; i < edges.nodes; ++i)
      for (int64_t c = 0; c < C; ++c)
        for (int64_t u = 0; u < p; ++u)
          for (int64_t v = 0; v < p; ++v) {
            float best = -INFINITY, second = -INFINITY;
            for (int64_t m = 0; m < k; ++m) {
              const float x = M.data()[((((n * edges.nodes + i) * k + m) * C + c) * p + u) * p + v];
              if (x > best) second = best, best = x;
              else if (x > second) second = x;
            }
            const int64_t y = i / cols + u, x = i % cols + v, at = ((n * C + c) * H + y) * W + x;
            const float z = yc.data()[at] + best;
            gap = std::min({gap, std::fabs(z), k > 1 ? best - second : INFINITY});
            sum.data()[at] += std::max(0.f, z);
          }
  const Tensor count = graph::coverage_map(graph::patch_grid(H, W, p, "test"));
  for (int64_t e = 0; e < sum.numel(); ++e) sum.data()[e] /= count.data()[e % (H * W)];
  if (margin) *margin = gap;
  return sum;
}

}  // namespace gs::test
