#include <doctest/doctest.h>

#include <cmath>

#include "autograd/ops.h"
#include "gradcheck.h"
#include "graph/channel_blocks.h"
#include "graph/deform_sample.h"
#include "graph/message_passing.h"
#include "random_graph.h"

using gs::Rng;
using gs::Shape;
using gs::Tensor;
using gs::ag::Variable;
using V = std::vector<Variable>;
namespace graph = gs::graph;
namespace ag = gs::ag;

namespace {
using Fn = std::function<Variable(const V&)>;

// The op's value and the gradients of sum(out * R) to every input, for comparing two implementations.
std::vector<Tensor> value_and_grads(const Fn& f, const std::vector<Tensor>& inputs, const Tensor& R) {
  V vars;
  for (const Tensor& t : inputs) vars.emplace_back(t.clone(), true);
  Variable out = f(vars);
  out.backward(R);
  std::vector<Tensor> result{out.value()};
  for (const Variable& v : vars) result.push_back(v.grad());
  return result;
}

void check_same(const std::vector<Tensor>& a, const std::vector<Tensor>& b) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    REQUIRE(a[i].shape() == b[i].shape());
    // Both sides are float32 sums of the same terms in another order.
    const float largest = gs::max_abs_diff(b[i], Tensor::zeros(b[i].shape()));
    INFO("tensor " << i << " (0 = value, then the input gradients), max |value| " << largest);
    CHECK(gs::max_abs_diff(a[i], b[i]) <= 1e-5f * (1.f + largest));
  }
}

// h columns [N, C*p*p, Nc] from messages M [N,Nc,k,C,p,p] and attention [N,Nc,k], then the fold.
Variable fold_of_messages(const Variable& M, const Variable& att, int64_t height, int64_t width, int64_t p) {
  const int64_t N = M.size(0), Nc = M.size(1), k = M.size(2), D = M.numel() / (N * Nc * k);
  const Variable h = ag::sum(ag::mul(ag::reshape(M, {N, Nc, k, D}), ag::reshape(att, {N, Nc, k, 1})), {2});
  return graph::fold_average(ag::permute(h, {0, 2, 1}), height, width, p);
}

// Q_j gathered for every edge: [N,Nc,k,C*p*p] from f1 through unfold (the unfused intra path).
Variable gathered_patches(const Variable& f1, const graph::EdgeList& edges, int64_t p) {
  const int64_t N = edges.n, Nc = edges.nodes, k = edges.k;
  const Variable rows = ag::reshape(ag::permute(graph::unfold(f1, p), {0, 2, 1}), {N * Nc, -1});
  std::vector<int64_t> flat;
  for (int64_t e = 0; e < edges.size(); ++e) flat.push_back((e / (Nc * k)) * Nc + edges.index[e]);
  return ag::reshape(ag::index_select(rows, 0, flat), {N, Nc, k, -1});
}
}  // namespace

TEST_CASE("graph message passing: aggregate_fold equals fold_average of the deform_sample messages") {
  Rng rng(31);
  const int64_t p = 5, N = 2, C = graph::kLanes + 6;  // a full and a partial channel block
  const graph::PatchGrid content = graph::patch_grid(7, 8, p, "test"), src = graph::patch_grid(8, 9, p, "test");
  const graph::EdgeList edges = gs::test::random_edges(N, content.nodes(), 3, src.nodes(), rng);
  Tensor s = gs::test::smooth_scales(edges, src, rng, 0.4f, 2.5f);
  for (int64_t i = 0; i < s.numel(); i += 3) s.data()[i] = 1.f;  // some nodes on the exact (copy) path
  const Tensor fs = Tensor::randn({N, C, 8, 9}, rng), alpha = Tensor::uniform({N, content.nodes(), 3}, rng, 0.f, 1.f);
  const Tensor R = Tensor::randn({N, C, 7, 8}, rng);
  const auto fused = value_and_grads(
      [&](const V& v) { return graph::aggregate_fold(v[0], edges, v[1], v[2], p, 7, 8); }, {fs, s, alpha}, R);
  const auto unfused = value_and_grads(
      [&](const V& v) { return fold_of_messages(graph::deform_sample(v[0], edges, v[1], p), v[2], 7, 8, p); },
      {fs, s, alpha}, R);
  check_same(fused, unfused);
}

TEST_CASE("graph message passing: aggregate_fold gradients (finite differences)") {
  Rng rng(32);
  const int64_t p = 3;
  const graph::PatchGrid content = graph::patch_grid(4, 5, p, "test"), src = graph::patch_grid(5, 5, p, "test");
  const graph::EdgeList edges = gs::test::random_edges(1, content.nodes(), 2, src.nodes(), rng);
  const Tensor s = gs::test::smooth_scales(edges, src, rng);
  const Tensor fs = Tensor::randn({1, 2, 5, 5}, rng), alpha = Tensor::uniform({1, content.nodes(), 2}, rng, 0.f, 1.f);
  gs::test::check_gradients([&](const V& v) { return graph::aggregate_fold(v[0], edges, v[1], v[2], p, 4, 5); },
                            {fs, s, alpha});
}

TEST_CASE("graph message passing: gather_fold equals fold_average of the gathered patches") {
  Rng rng(33);
  const int64_t p = 3, N = 2, C = graph::kLanes + 3;
  const graph::PatchGrid grid = graph::patch_grid(6, 7, p, "test");
  const graph::EdgeList edges = gs::test::random_edges(N, grid.nodes(), 4, grid.nodes(), rng, true);
  const Tensor f1 = Tensor::randn({N, C, 6, 7}, rng), beta = Tensor::uniform({N, grid.nodes(), 4}, rng, 0.f, 1.f);
  const Tensor R = Tensor::randn({N, C, 6, 7}, rng);
  const auto fused = value_and_grads([&](const V& v) { return graph::gather_fold(v[0], edges, v[1], p); }, {f1, beta}, R);
  const auto unfused = value_and_grads(
      [&](const V& v) {
        const Variable Q = gathered_patches(v[0], edges, p);  // [N,Nc,k,D]
        return fold_of_messages(ag::reshape(Q, {N, grid.nodes(), 4, C, p, p}), v[1], 6, 7, p);
      },
      {f1, beta}, R);
  check_same(fused, unfused);
  gs::test::check_gradients([&](const V& v) { return graph::gather_fold(v[0], edges, v[1], p); },
                            {f1.slice(1, 0, 2).contiguous(), beta});
}

TEST_CASE("graph message passing: at s = 1 with one edge per node on itself, aggregate_fold returns the map") {
  Rng rng(34);
  const int64_t p = 5;
  const graph::PatchGrid grid = graph::patch_grid(9, 8, p, "test");
  graph::EdgeList self{1, grid.nodes(), 1, {}};
  for (int64_t i = 0; i < grid.nodes(); ++i) self.index.push_back(static_cast<int32_t>(i));
  const Tensor f = Tensor::randn({1, 20, 9, 8}, rng);
  const Tensor out = graph::aggregate_fold(Variable(f), self, Variable(Tensor::ones({1, grid.nodes()})),
                                           Variable(Tensor::ones({1, grid.nodes(), 1})), p, 9, 8)
                         .value();
  CHECK(gs::max_abs_diff(out, f) <= 1e-6f);
}

TEST_CASE("graph message passing: gat_intra's gradient to f1 sums the attention and the message paths") {
  const int64_t p = 3;
  for (uint64_t seed = 35;; ++seed) {  // draw until every logit keeps 0.05 away from LeakyReLU's kink
    Rng rng(seed);
    const Tensor f1 = Tensor::randn({1, 2, 5, 4}, rng);
    const graph::EdgeList edges = gs::test::random_edges(1, 6, 3, 6, rng, true);
    const Tensor Wk = Tensor::randn({2, 2}, rng), aq = Tensor::randn({2}, rng), ak = Tensor::randn({2}, rng);
    if (gs::test::intra_logit_margin(f1, edges, Wk, aq, ak, p) < 0.05f) continue;
    gs::test::check_gradients([&](const V& v) { return graph::gat_intra(v[0], edges, v[1], v[2], v[3], p).features; },
                              {f1, Wk, aq, ak});
    break;
  }
}

TEST_CASE("graph message passing: gat_inter with aggregator mean is the plain average of the messages") {
  Rng rng(36);
  const int64_t p = 3;
  const Tensor fc = Tensor::randn({1, 3, 4, 4}, rng), fs = Tensor::randn({1, 3, 5, 6}, rng);
  const graph::EdgeList edges = gs::test::random_edges(1, 4, 2, 12, rng);
  const Variable s(Tensor::uniform({1, 4}, rng, 0.6f, 1.8f));
  const Variable none(Tensor({1}));
  auto [f1, alpha] = graph::gat_inter(Variable(fc), Variable(fs), edges, s, none, none, none, none, p,
                                      graph::Aggregator::mean);
  const Tensor expected =
      fold_of_messages(graph::deform_sample(Variable(fs), edges, s, p), Variable(Tensor::full({1, 4, 2}, 0.5f)), 4, 4, p)
          .value();
  CHECK(gs::max_abs_diff(f1.value(), expected) <= 1e-6f);
}

TEST_CASE("graph message passing: errors name the tensors") {
  Rng rng(37);
  const Variable fs(Tensor::randn({1, 2, 5, 5}, rng));
  const graph::EdgeList edges = gs::test::random_edges(1, 4, 2, 9, rng);
  const Variable s(Tensor::ones({1, 4})), alpha(Tensor::ones({1, 4, 2}));
  CHECK_THROWS_WITH_AS(graph::aggregate_fold(fs, edges, s, Variable(Tensor::ones({1, 4, 3})), 3, 4, 4),
                       doctest::Contains("attention [1, 4, 3] must match the edges [1, 4, 2]"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(graph::aggregate_fold(fs, edges, s, alpha, 3, 5, 5), doctest::Contains("9 content nodes"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(graph::aggregate_fold(fs, edges, s, alpha, 3, 2, 8), doctest::Contains("smaller than the patch"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(graph::aggregate_fold(fs, graph::EdgeList{1, 4, 10, std::vector<int32_t>(40, 0)}, s,
                                             Variable(Tensor::ones({1, 4, 10})), 3, 4, 4),
                       doctest::Contains("k = 10"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(graph::gather_fold(fs, edges, alpha, 3), doctest::Contains("9 content nodes"),
                       std::invalid_argument);
}
