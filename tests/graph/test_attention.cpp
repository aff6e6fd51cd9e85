#include <doctest/doctest.h>

#include <cmath>

#include "autograd/ops.h"
#include "gradcheck.h"
#include "graph/attention.h"
#include "graph/deform_sample.h"
#include "graph/patches.h"
#include "random_graph.h"

using gs::Rng;
using gs::Shape;
using gs::Tensor;
using gs::ag::Variable;
using V = std::vector<Variable>;
namespace graph = gs::graph;
namespace ag = gs::ag;

namespace {
// The smallest |q_i + key_ij| of the inter logits: LeakyReLU has a kink at 0, which finite
// differences must not straddle.
float inter_logit_margin(const Tensor& fc, const Tensor& fs, const graph::EdgeList& edges, const Tensor& s,
                         const Tensor& Wc, const Tensor& Ws, const Tensor& ac, const Tensor& as, int64_t p) {
  const Tensor q = graph::patch_mean(graph::score_map(Variable(fc), Variable(Wc), Variable(ac)), p).value();
  const Tensor M =
      graph::deform_sample(graph::score_map(Variable(fs), Variable(Ws), Variable(as)), edges, Variable(s), p).value();
  float margin = INFINITY;
  for (int64_t e = 0; e < edges.size(); ++e) {
    double key = 0;
    for (int64_t d = 0; d < p * p; ++d) key += M.data()[e * p * p + d];
    margin = std::min(margin, std::fabs(q.data()[e / edges.k] + float(key / double(p * p))));
  }
  return margin;
}
}  // namespace

TEST_CASE("graph attention: score_map is <a, W f> per pixel") {
  Rng rng(21);
  const Tensor f = Tensor::randn({2, 3, 4, 5}, rng), W = Tensor::randn({4, 3}, rng), a = Tensor::randn({4}, rng);
  const Tensor map = graph::score_map(Variable(f), Variable(W), Variable(a)).value();
  REQUIRE(map.shape() == Shape{2, 1, 4, 5});
  double expected = 0;  // pixel (1, :, 2, 3)
  for (int64_t d = 0; d < 4; ++d)
    for (int64_t c = 0; c < 3; ++c) expected += a.at({d}) * W.at({d, c}) * f.at({1, c, 2, 3});
  CHECK(map.at({1, 0, 2, 3}) == doctest::Approx(expected).epsilon(1e-5));
  gs::test::check_gradients([](const V& v) { return graph::score_map(v[0], v[1], v[2]); }, {f, W, a});
}

TEST_CASE("graph attention: edge_softmax rows sum to 1; gradients away from the LeakyReLU kink") {
  Rng rng(22);
  const Tensor q({1, 2}, {0.7f, -1.3f});
  const Tensor key({1, 2, 3}, {0.4f, -1.1f, 1.9f, 0.5f, 2.2f, -0.6f});  // q + key: +-0.1 at the closest
  const Tensor alpha = graph::edge_softmax(Variable(q), Variable(key)).value();
  CHECK(gs::max_abs_diff(gs::sum(alpha, {2}), Tensor::ones({1, 2})) <= 1e-6f);
  gs::test::check_gradients([](const V& v) { return graph::edge_softmax(v[0], v[1]); }, {q, key});
}

TEST_CASE("graph attention: LeakyReLU'(0) = 0.2 at MODEL.md's initialisation (all logits 0)") {
  // With every logit 0, alpha = 1/k and d(sum_m R_m alpha_m)/d key_m = 0.2 * (R_m - mean R) / k.
  Variable q(Tensor::zeros({1, 1}), true), key(Tensor::zeros({1, 1, 4}), true);
  const Tensor R({1, 1, 4}, {1.f, 2.f, -3.f, 4.f});
  graph::edge_softmax(q, key).backward(R);
  for (int64_t m = 0; m < 4; ++m) CHECK(key.grad().at({0, 0, m}) == doctest::Approx(0.2 * (R.at({0, 0, m}) - 1.0) / 4));
  CHECK(q.grad().item() == doctest::Approx(0.0).epsilon(1e-6));  // q_i shifts every logit of node i alike
}

TEST_CASE("graph attention: inter keys at s = 1 are the patch means of the style score map") {
  Rng rng(23);
  const int64_t p = 3;
  const Tensor fc = Tensor::randn({1, 4, 5, 6}, rng), fs = Tensor::randn({1, 4, 6, 5}, rng);
  const Tensor Wc = Tensor::randn({3, 4}, rng), Ws = Tensor::randn({3, 4}, rng);
  const Tensor ac = Tensor::randn({3}, rng), as = Tensor::randn({3}, rng);
  const graph::EdgeList edges = gs::test::random_edges(1, 3 * 4, 2, 4 * 3, rng);
  const Tensor alpha = graph::inter_attention(Variable(fc), Variable(fs), edges, Variable(Tensor::ones({1, 12})),
                                              Variable(Wc), Variable(Ws), Variable(ac), Variable(as), p,
                                              graph::Aggregator::gat)
                           .value();
  // The same logits from unfold-based pieces: key_j = patch mean of <as, Ws fs> at style node j.
  const Tensor q = graph::patch_mean(graph::score_map(Variable(fc), Variable(Wc), Variable(ac)), p).value();
  const Tensor keys = graph::patch_mean(graph::score_map(Variable(fs), Variable(Ws), Variable(as)), p).value();
  Tensor e({1, 12, 2});
  for (int64_t i = 0; i < 12; ++i)
    for (int64_t m = 0; m < 2; ++m) e.set({0, i, m}, q.at({0, i}) + keys.at({0, edges.index[i * 2 + m]}));
  CHECK(gs::max_abs_diff(alpha, gs::softmax(gs::leaky_relu(e, 0.2f), 2)) <= 1e-6f);
}

TEST_CASE("graph attention: inter attention gradients to s, Wc, Ws, ac, as") {
  const int64_t p = 3;
  const graph::PatchGrid src = graph::patch_grid(6, 5, p, "test");
  // Draw until every logit keeps 0.05 away from LeakyReLU's kink (a few draws suffice).
  for (uint64_t seed = 24;; ++seed) {
    Rng rng(seed);
    const Tensor fc = gs::relu(Tensor::randn({2, 3, 5, 4}, rng)), fs = gs::relu(Tensor::randn({2, 3, 6, 5}, rng));
    const graph::EdgeList edges = gs::test::random_edges(2, 3 * 2, 3, src.nodes(), rng);
    const Tensor s = gs::test::smooth_scales(edges, src, rng);
    const Tensor Wc = Tensor::randn({4, 3}, rng, 0.5f), Ws = Tensor::randn({4, 3}, rng, 0.5f);
    const Tensor ac = Tensor::randn({4}, rng), as = Tensor::randn({4}, rng);
    if (inter_logit_margin(fc, fs, edges, s, Wc, Ws, ac, as, p) < 0.05f) continue;
    gs::test::check_gradients(
        [&](const V& v) {
          return graph::inter_attention(v[0], v[1], edges, v[2], v[3], v[4], v[5], v[6], p, graph::Aggregator::gat);
        },
        {fc, fs, s, Wc, Ws, ac, as}, {2, 3, 4, 5, 6});
    break;
  }
}

TEST_CASE("graph attention: intra attention gradients to f1, Wk, aq, ak") {
  const int64_t p = 3;
  for (uint64_t seed = 25;; ++seed) {  // draw until every logit keeps 0.05 away from the kink
    Rng rng(seed);
    const Tensor f1 = Tensor::randn({1, 3, 5, 5}, rng);
    const graph::EdgeList edges = gs::test::random_edges(1, 9, 3, 9, rng, true);
    const Tensor Wk = Tensor::randn({2, 3}, rng), aq = Tensor::randn({2}, rng), ak = Tensor::randn({2}, rng);
    if (gs::test::intra_logit_margin(f1, edges, Wk, aq, ak, p) < 0.05f) continue;
    gs::test::check_gradients(
        [&](const V& v) { return graph::intra_attention(v[0], edges, v[1], v[2], v[3], p, graph::Aggregator::gat); },
        {f1, Wk, aq, ak});
    break;
  }
}

TEST_CASE("graph attention: aggregator = mean is 1/k, and the names parse") {
  Rng rng(26);
  const Variable f(Tensor::randn({1, 2, 4, 4}, rng));
  const Variable W(Tensor::randn({2, 2}, rng)), a(Tensor::randn({2}, rng));
  const graph::EdgeList inter = gs::test::random_edges(1, 4, 3, 4, rng), intra = gs::test::random_edges(1, 4, 4, 4, rng, true);
  const Tensor alpha =
      graph::inter_attention(f, f, inter, Variable(Tensor::ones({1, 4})), W, W, a, a, 3, graph::Aggregator::mean).value();
  CHECK(gs::max_abs_diff(alpha, Tensor::full({1, 4, 3}, 1.f / 3)) == 0.f);
  const Tensor beta = graph::intra_attention(f, intra, W, a, a, 3, graph::Aggregator::mean).value();
  CHECK(gs::max_abs_diff(beta, Tensor::full({1, 4, 4}, 0.25f)) == 0.f);
  CHECK(graph::parse_aggregator("mean") == graph::Aggregator::mean);
  CHECK(graph::parse_aggregator("gat") == graph::Aggregator::gat);
  CHECK_THROWS_WITH_AS(graph::parse_aggregator("max"), doctest::Contains("'max'"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(graph::score_map(f, Variable(Tensor({2, 3})), a), doctest::Contains("W [2, 3]"),
                       std::invalid_argument);
}
