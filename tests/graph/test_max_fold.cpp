#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "gradcheck.h"
#include "graph/channel_blocks.h"
#include "graph/deform_sample.h"
#include "graph/max_fold.h"
#include "graph/patches.h"
#include "max_fold_reference.h"
#include "random_graph.h"

using gs::Rng;
using gs::Tensor;
using gs::ag::Variable;
using V = std::vector<Variable>;
namespace graph = gs::graph;

namespace {

struct Case {
  Tensor ys, yc, s;
  graph::EdgeList edges;
};

// Random inputs whose max and ReLU stay `margin` away from their kinks (and whose sample coordinates
// from the bilinear kinks); s in [lo, hi].
Case smooth_case(uint64_t seed, int64_t C, int64_t hc, int64_t wc, int64_t hs, int64_t ws, int64_t k, int64_t p,
                 float lo, float hi, float margin) {
  for (uint64_t draw = seed;; ++draw) {
    Rng rng(draw);
    const graph::PatchGrid content = graph::patch_grid(hc, wc, p, "test"), src = graph::patch_grid(hs, ws, p, "test");
    Case c{Tensor::randn({1, C, hs, ws}, rng), Tensor::randn({1, C, hc, wc}, rng), Tensor(),
           gs::test::random_edges(1, content.nodes(), k, src.nodes(), rng)};
    c.s = gs::test::smooth_scales(c.edges, src, rng, lo, hi);
    float gap = 0;
    gs::test::max_fold_reference(c.ys, c.yc, c.edges, c.s, p, &gap);
    if (gap >= margin) return c;
  }
}

}  // namespace

TEST_CASE("max fold: equals ReLU(yc + max of the materialised messages), folded (blocks, s = 1 and deformed)") {
  Rng rng(71);
  const int64_t p = 3, N = 2, C = graph::kLanes + 5, k = 4;
  const graph::PatchGrid content = graph::patch_grid(6, 7, p, "test"), src = graph::patch_grid(7, 8, p, "test");
  const graph::EdgeList edges = gs::test::random_edges(N, content.nodes(), k, src.nodes(), rng);
  Tensor s = Tensor::uniform({N, content.nodes()}, rng, 0.5f, 2.5f);
  for (int64_t i = 0; i < s.numel(); i += 3) s.data()[i] = 1.f;  // the exact (copy) path too
  const Tensor ys = Tensor::randn({N, C, 7, 8}, rng), yc = Tensor::randn({N, C, 6, 7}, rng);
  const Tensor out = graph::max_message_fold(Variable(ys), Variable(yc), edges, Variable(s), p).value();
  CHECK(gs::max_abs_diff(out, gs::test::max_fold_reference(ys, yc, edges, s, p, nullptr)) <= 1e-5f);
}

TEST_CASE("max fold: gradients to ys, yc and s (finite differences, ties-free data)") {
  const int64_t p = 3;
  const Case c = smooth_case(72, 2, 4, 4, 5, 5, 3, p, 0.6f, 1.9f, 0.05f);
  auto f = [&](const V& v) { return graph::max_message_fold(v[0], v[1], c.edges, v[2], p); };
  gs::test::check_gradients(f, {c.ys, c.yc, c.s}, {0, 1});
  gs::test::GradcheckOptions fine;
  fine.step = 2e-3f;  // dM/ds reaches a few units: keeps s's moves inside the margin
  gs::test::check_gradients(f, {c.ys, c.yc, c.s}, {2}, fine);
}

TEST_CASE("max fold: gradients where sample coordinates are clamped to the map") {
  const int64_t p = 3;
  // Large scales on a small source: outer samples of the border patches fall outside and are clamped.
  // One edge per node: two edges clamped onto the same border pixel would tie, and a tie is a kink.
  const Case c = smooth_case(73, 2, 4, 3, 4, 4, 1, p, 2.2f, 3.0f, 0.05f);
  const graph::PatchGrid src = graph::patch_grid(4, 4, p, "test");
  const graph::SampleGrid taps = graph::sample_grid(c.edges, c.s.data(), src);
  int clamped = 0;
  for (int64_t e = 0; e < taps.edges; ++e)
    for (int64_t u = 0; u < p; ++u) clamped += (u != 1 && taps.row(e)[u].dpos == 0.f) + (u != 1 && taps.col(e)[u].dpos == 0.f);
  REQUIRE(clamped > 0);
  auto f = [&](const V& v) { return graph::max_message_fold(v[0], v[1], c.edges, v[2], p); };
  gs::test::check_gradients(f, {c.ys, c.yc, c.s}, {0, 1});
  gs::test::GradcheckOptions fine;
  fine.step = 2e-3f;
  gs::test::check_gradients(f, {c.ys, c.yc, c.s}, {2}, fine);
}

TEST_CASE("max fold: ties send the gradient to the first edge; errors name the tensors") {
  // Two edges with equal messages: the max is either; the first edge (style node 1) gets the gradient.
  const int64_t p = 1;
  const graph::EdgeList edges{1, 1, 2, {1, 0}};
  Variable ys(Tensor::full({1, 1, 1, 2}, 2.f), true), yc(Tensor::zeros({1, 1, 1, 1}), true);
  Variable out = graph::max_message_fold(ys, yc, edges, Variable(Tensor::ones({1, 1})), p);
  CHECK(out.value().data()[0] == 2.f);
  out.backward(Tensor::ones({1, 1, 1, 1}));
  CHECK(ys.grad().data()[0] == 0.f);
  CHECK(ys.grad().data()[1] == 1.f);  // once, not once per tied edge
  CHECK(yc.grad().data()[0] == 1.f);
  CHECK_THROWS_WITH_AS(graph::max_message_fold(Variable(Tensor::zeros({1, 2, 3, 3})), Variable(Tensor::zeros({1, 3, 3, 3})),
                                               graph::EdgeList{1, 1, 1, {0}}, Variable(Tensor::ones({1, 1})), 3),
                       doctest::Contains("same N and C"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(graph::max_message_fold(Variable(Tensor::zeros({1, 2, 3, 3})), Variable(Tensor::zeros({1, 2, 3, 3})),
                                               graph::EdgeList{1, 1, 1, {0}}, Variable(Tensor::ones({1, 2})), 3),
                       doctest::Contains("s must be [N, Nc]"), std::invalid_argument);
}
