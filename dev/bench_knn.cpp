// bench_knn: times the k-NN edges of the graph stage (inter + intra) on relu4_1-like maps, exact and
// approximate (graph/approx_knn.h) side by side, with the approximate edges' recall.
// Not a CLI command of its own; `graphstyle-dev bench` can call it (args: sizes, e.g. {"32", "64"}).
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "graph/approx_knn.h"
#include "graph/ncc_topk.h"
#include "tensor/tensor.h"

namespace gs::tools {

namespace {

// [C,H,W] nonnegative and spatially smooth like relu4_1 features: noise blurred by two 3x3 box
// filters, a per-channel offset, then ReLU (about half the values are exact zeros).
Tensor relu_like_map(int64_t C, int64_t H, int64_t W, Rng& rng) {
  Tensor f = Tensor::randn({C, H, W}, rng);
  std::vector<float> tmp(H * W);
  for (int64_t c = 0; c < C; ++c) {
    float* x = f.data() + c * H * W;
    for (int pass = 0; pass < 2; ++pass) {
      for (int64_t y = 0; y < H; ++y)
        for (int64_t xx = 0; xx < W; ++xx) {
          float s = 0;
          int n = 0;
          for (int64_t dy = std::max<int64_t>(0, y - 1); dy <= std::min(H - 1, y + 1); ++dy)
            for (int64_t dx = std::max<int64_t>(0, xx - 1); dx <= std::min(W - 1, xx + 1); ++dx) s += x[dy * W + dx], ++n;
          tmp[y * W + xx] = s / static_cast<float>(n);
        }
      std::copy(tmp.begin(), tmp.end(), x);
    }
    const float offset = 0.3f * rng.normal();
    for (int64_t a = 0; a < H * W; ++a) x[a] = std::max(0.f, 2.f * x[a] + offset);
  }
  return f;
}

template <class F>
double median_seconds(int warmups, int runs, const F& f) {
  for (int w = 0; w < warmups; ++w) f();
  std::vector<double> t;
  for (int r = 0; r < runs; ++r) {
    const auto start = std::chrono::steady_clock::now();
    f();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

}  // namespace

int bench_knn(const std::vector<std::string>& args) {
  std::vector<int64_t> sizes;
  for (const std::string& a : args) sizes.push_back(std::stoll(a));
  if (sizes.empty()) sizes = {32, 64, 128};
  const int64_t C = 512;
  const int p = 5, k = 5, kc = 5;
  std::printf("k-NN edges, relu-like %lldxHxW maps, p=%d k=%d kc=%d, %d threads, median of 3 after 1 warm-up\n",
              static_cast<long long>(C), p, k, kc, omp_get_max_threads());
  for (int64_t s : sizes) {
    Rng rng(1);
    const Tensor fc = relu_like_map(C, s, s, rng), fs = relu_like_map(C, s, s, rng);
    graph::Edges ei, ea, ii, ia;
    const double inter = median_seconds(1, 3, [&] { ei = graph::inter_edges(fc, fs, p, k); });
    const double intra = median_seconds(1, 3, [&] { ii = graph::intra_edges(fc, p, kc); });
    const double a_inter = median_seconds(1, 3, [&] { ea = graph::approx_inter_edges(fc, fs, p, k); });
    const double a_intra = median_seconds(1, 3, [&] { ia = graph::approx_intra_edges(fc, p, kc); });
    std::printf("  %4lldx%-4lld exact: inter %.4f s  intra %.4f s | approximate (pool %d): inter %.4f s  intra %.4f s"
                " | recall inter %.4f  intra %.4f\n",
                static_cast<long long>(s), static_cast<long long>(s), inter, intra,
                graph::approx_pool_factor(s * s, s * s, p, {}), a_inter, a_intra, graph::edge_recall(ei, ea, k),
                graph::edge_recall(ii, ia, kc));
  }
  return 0;
}

}  // namespace gs::tools
