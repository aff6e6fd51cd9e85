// Timings of the graph stage's message passing (gat_inter + gat_intra) on model-sized maps:
// C = 512 relu4_1-like maps (relu of a normal draw), p = 5, k = 5, kc = 5, random edges, node
// scales uniform in [0.6, 1.8], random attention parameters (d = 64). Each timing is the median of
// 5 runs after 2 warm-ups. The k-NN edges are not timed here (graph/ncc_topk).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "autograd/ops.h"
#include "graph/message_passing.h"

namespace gs::tools {

namespace {
constexpr int64_t kC = 512, kD = 64, kP = 5, kK = 5, kKc = 5;

double median_seconds(const std::function<void()>& run) {
  for (int i = 0; i < 2; ++i) run();
  std::vector<double> t;
  for (int i = 0; i < 5; ++i) {
    const auto start = std::chrono::steady_clock::now();
    run();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  return t[2];
}

struct Problem {
  ag::Variable fc, fs, s, Wc, Ws, ac, as, Wk, aq, ak;
  graph::EdgeList inter, intra;
};

Problem make_problem(int64_t n, int64_t size, bool grad, Rng& rng) {
  const int64_t side = size - kP + 1, nodes = side * side;
  auto relu_map = [&] { return relu(Tensor::randn({n, kC, size, size}, rng)); };
  auto param = [&](Shape shape, float stddev) { return ag::Variable(Tensor::randn(shape, rng, stddev), grad); };
  Problem b;
  b.fc = ag::Variable(relu_map());
  b.fs = ag::Variable(relu_map());
  b.s = ag::Variable(Tensor::uniform({n, nodes}, rng, 0.6f, 1.8f), grad);
  const float w_std = 1.f / std::sqrt(static_cast<float>(kC));
  b.Wc = param({kD, kC}, w_std), b.Ws = param({kD, kC}, w_std), b.Wk = param({kD, kC}, w_std);
  b.ac = param({kD}, 1.f), b.as = param({kD}, 1.f), b.aq = param({kD}, 1.f), b.ak = param({kD}, 1.f);
  b.inter = {n, nodes, kK, {}};
  b.intra = {n, nodes, kKc + 1, {}};
  for (int64_t i = 0; i < n * nodes; ++i) {
    for (int64_t m = 0; m < kK; ++m) b.inter.index.push_back(static_cast<int32_t>(rng.next() % nodes));
    for (int64_t m = 0; m < kKc; ++m)  // another node, then the self-loop last
      b.intra.index.push_back(static_cast<int32_t>((i % nodes + 1 + rng.next() % (nodes - 1)) % nodes));
    b.intra.index.push_back(static_cast<int32_t>(i % nodes));
  }
  return b;
}

graph::GatOutput run_inter(const Problem& b) {
  return graph::gat_inter(b.fc, b.fs, b.inter, b.s, b.Wc, b.Ws, b.ac, b.as, kP);
}
graph::GatOutput run_intra(const Problem& b, const ag::Variable& f1) {
  return graph::gat_intra(f1, b.intra, b.Wk, b.aq, b.ak, kP);
}
}  // namespace

int bench_message_passing(const std::vector<std::string>& args) {
  Rng rng(7);
  for (int64_t size : {32, 64}) {
    const Problem b = make_problem(1, size, false, rng);
    ag::NoGradGuard no_grad;
    const ag::Variable f1 = run_inter(b).features;
    const double inter = median_seconds([&] { run_inter(b); });
    const double intra = median_seconds([&] { run_intra(b, f1); });
    const double both = median_seconds([&] { run_intra(b, run_inter(b).features); });
    std::printf("forward  1x%lldx%lldx%lld: gat_inter %.1f ms, gat_intra %.1f ms, both %.1f ms\n",
                static_cast<long long>(kC), static_cast<long long>(size), static_cast<long long>(size), inter * 1e3,
                intra * 1e3, both * 1e3);
  }
  const Problem b = make_problem(4, 32, true, rng);
  const Tensor seed = Tensor::randn({4, kC, 32, 32}, rng);
  const double train = median_seconds([&] {
    const graph::GatOutput f2 = run_intra(b, run_inter(b).features);
    ag::backward({f2.features}, {seed});
  });
  std::printf("forward + backward 4x%lldx32x32: %.1f ms\n", static_cast<long long>(kC), train * 1e3);
  return 0;
}

}  // namespace gs::tools
