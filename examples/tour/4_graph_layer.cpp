// Tour step 4: one graph layer by hand (MODEL.md 2.2, 2.6, 2.7), checked against the library.
// Nodes are the p x p patches of a feature map. Each content node gets in-edges from the k style
// patches of largest NCC; GAT attention mixes those style patches into h_i; the patches are folded
// back onto the grid with overlaps averaged (F1). At scale s = 1 a message is the style patch itself.
// Read graph/ncc_topk.h, graph/edge_list.h, graph/attention.h, then graph/message_passing.h/.cpp.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "graph/message_passing.h"
#include "graph/ncc_topk.h"
#include "tensor/ops.h"

using gs::Tensor;
using gs::ag::Variable;
constexpr int C = 3, H = 5, W = 5, HS = 6, WS = 6, P = 3, K = 3, D = 2;  // p is odd (MODEL.md 2.1)

// Patch j of f [1,C,h,w] as a vector, element c*P*P + u*P + v (torch unfold order).
static std::vector<double> patch(const Tensor& f, int w, int j) {
  std::vector<double> out;
  const int oy = j / (w - P + 1), ox = j % (w - P + 1);
  for (int c = 0; c < C; ++c)
    for (int u = 0; u < P; ++u)
      for (int v = 0; v < P; ++v) out.push_back(f.at({0, c, oy + u, ox + v}));
  return out;
}
static double ncc(std::vector<double> x, std::vector<double> y) {
  double mx = 0, my = 0, xy = 0, xx = 0, yy = 0;
  for (size_t i = 0; i < x.size(); ++i) mx += x[i] / x.size(), my += y[i] / y.size();
  for (size_t i = 0; i < x.size(); ++i)
    xy += (x[i] - mx) * (y[i] - my), xx += (x[i] - mx) * (x[i] - mx), yy += (y[i] - my) * (y[i] - my);
  return xy / ((std::sqrt(xx) + 1e-8) * (std::sqrt(yy) + 1e-8));
}
// The mean over patch j of the 1x1 score map <a, Wm f>.
static double patch_score(const Tensor& f, int w, int j, const Tensor& Wm, const Tensor& a) {
  std::vector<double> x = patch(f, w, j);
  double s = 0;
  for (int d = 0; d < D; ++d)
    for (int c = 0; c < C; ++c)
      for (int uv = 0; uv < P * P; ++uv) s += a.at({d}) * Wm.at({d, c}) * x[c * P * P + uv];
  return s / (P * P);
}

int main() {
  gs::Rng rng(11);
  const Tensor fc = Tensor::randn({1, C, H, W}, rng), fs = Tensor::randn({1, C, HS, WS}, rng);
  const Tensor Wc = Tensor::randn({D, C}, rng), Ws = Tensor::randn({D, C}, rng);
  const Tensor ac = Tensor::randn({D}, rng), as = Tensor::randn({D}, rng);
  const int nc = (H - P + 1) * (W - P + 1), ns = (HS - P + 1) * (WS - P + 1);
  bool ok = true;

  // 1. Edges: all nc x ns NCC scores, the K best per content node (ties: smaller index first).
  gs::graph::Edges lib = gs::graph::inter_edges(fc.select(0, 0), fs.select(0, 0), P, K);
  std::vector<std::vector<std::pair<double, int>>> best(nc);
  for (int i = 0; i < nc; ++i) {
    for (int j = 0; j < ns; ++j) best[i].push_back({-ncc(patch(fc, W, i), patch(fs, WS, j)), j});
    std::sort(best[i].begin(), best[i].end());
    for (int m = 0; m < K; ++m) {
      ok = ok && lib.source(i, m) == best[i][m].second && std::fabs(lib.score_of(i, m) + best[i][m].first) < 1e-4;
      if (i < 3) std::printf("content node %d <- style node %2d  NCC %.4f\n", i, best[i][m].second, -best[i][m].first);
    }
  }
  std::printf("edges by hand == inter_edges: %s\n", ok ? "yes" : "NO");

  // 2. GAT: e_ij = LeakyReLU(q_i + key_ij), alpha = softmax over i's K edges, h_i = sum alpha_ij patch_j.
  Tensor f1 = Tensor::zeros({1, C, H, W}), cover = Tensor::zeros({H, W});
  for (int i = 0; i < nc; ++i) {
    double e[K], z = 0;
    for (int m = 0; m < K; ++m) {
      const double t = patch_score(fc, W, i, Wc, ac) + patch_score(fs, WS, best[i][m].second, Ws, as);
      e[m] = std::exp(t > 0 ? t : 0.2 * t), z += e[m];
    }
    const int oy = i / (W - P + 1), ox = i % (W - P + 1);  // 3. fold h_i onto the grid, counting coverage
    for (int m = 0; m < K; ++m) {
      std::vector<double> q = patch(fs, WS, best[i][m].second);
      for (int c = 0; c < C; ++c)
        for (int u = 0; u < P; ++u)
          for (int v = 0; v < P; ++v)
            f1.set({0, c, oy + u, ox + v}, f1.at({0, c, oy + u, ox + v}) + e[m] / z * q[c * P * P + u * P + v]);
    }
    for (int u = 0; u < P; ++u)
      for (int v = 0; v < P; ++v) cover.set({oy + u, ox + v}, cover.at({oy + u, ox + v}) + 1);
  }
  f1 = gs::div(f1, cover);  // [1,C,H,W] / [H,W], broadcast

  gs::graph::EdgeList edges = gs::graph::stack_edges(std::vector<gs::graph::Edges>{lib});
  gs::graph::GatOutput out = gs::graph::gat_inter(Variable(fc), Variable(fs), edges, Variable(Tensor::ones({1, nc})),
                                                  Variable(Wc), Variable(Ws), Variable(ac), Variable(as), P);
  const float diff = gs::max_abs_diff(out.features.value(), f1);
  std::printf("alpha of node 0: %s\nF1 by hand vs gat_inter: max |diff| = %.2e\n",
              out.attention.value().slice(1, 0, 1).str().c_str(), diff);
  ok = ok && diff < 1e-5f;  // float32 vs double sums of a few O(1) terms
  std::printf("%s\n", ok ? "tour 4: OK" : "tour 4: FAILED");
  return ok ? 0 : 1;
}
