#include <doctest/doctest.h>

#include "autograd/ops.h"
#include "gradcheck.h"
#include "graph/deform_sample.h"
#include "random_graph.h"

using gs::Rng;
using gs::Shape;
using gs::Tensor;
using gs::ag::Variable;
using V = std::vector<Variable>;
namespace graph = gs::graph;

TEST_CASE("graph deform_sample: s = 1 gives the style patches exactly (unfold)") {
  Rng rng(11);
  const Tensor fs = Tensor::randn({2, 3, 7, 8}, rng);
  const graph::PatchGrid src = graph::patch_grid(7, 8, 5, "test");
  const graph::EdgeList edges = gs::test::random_edges(2, 6, 3, src.nodes(), rng);
  const Tensor M = graph::deform_sample(Variable(fs), edges, Variable(Tensor::ones({2, 6})), 5).value();
  REQUIRE(M.shape() == Shape{2, 6, 3, 3, 5, 5});
  const Tensor cols = graph::unfold(Variable(fs), 5).value();  // [2, 75, L]
  bool equal = true;
  for (int64_t b = 0; b < 2; ++b)
    for (int64_t i = 0; i < 6; ++i)
      for (int64_t m = 0; m < 3; ++m)
        for (int64_t d = 0; d < 75; ++d)
          equal = equal && M.data()[((b * 6 + i) * 3 + m) * 75 + d] == cols.at({b, d, edges.index[(b * 6 + i) * 3 + m]});
  CHECK(equal);
  const graph::SampleGrid grid = graph::sample_grid(edges, nullptr, src);
  for (uint8_t exact : grid.exact) CHECK(exact == 1);
}

TEST_CASE("graph deform_sample: bilinear values, clamping and the cell convention") {
  // One channel, F[y, x] = 10 y + x on a 5x5 map: bilinear interpolation reproduces 10 y + x exactly
  // inside the map, and clamping replicates the border.
  Tensor fs({1, 1, 5, 5});
  for (int64_t y = 0; y < 5; ++y)
    for (int64_t x = 0; x < 5; ++x) fs.set({0, 0, y, x}, float(10 * y + x));
  const graph::EdgeList edges{1, 1, 1, {4}};  // style node 4 of the 3x3 node grid: centre (2, 2)
  const Tensor M = graph::deform_sample(Variable(fs), edges, Variable(Tensor({1, 1}, {0.75f})), 3).value();
  // rows and columns 1.25, 2, 2.75
  CHECK(M.at({0, 0, 0, 0, 0, 0}) == doctest::Approx(10 * 1.25 + 1.25));
  CHECK(M.at({0, 0, 0, 0, 2, 1}) == doctest::Approx(10 * 2.75 + 2));
  const Tensor big = graph::deform_sample(Variable(fs), edges, Variable(Tensor({1, 1}, {2.5f})), 3).value();
  CHECK(big.at({0, 0, 0, 0, 2, 2}) == 44);  // (4.5, 4.5) clamps to (4, 4)
  CHECK(big.at({0, 0, 0, 0, 0, 2}) == 4);   // (-0.5, 4.5) clamps to (0, 4)

  const graph::PatchGrid src = graph::patch_grid(5, 5, 3, "test");
  const graph::SampleGrid grid = graph::sample_grid(edges, Tensor({1, 1}, {2.5f}).data(), src);
  const graph::Tap last = grid.row(0)[2];  // 2 + 2.5 = 4.5 > 4: clamped to the last row
  CHECK((last.i0 == 4 && last.i1 == 4 && last.w == 0.f));
  CHECK(last.dpos == 0.f);  // no gradient through a clamped coordinate
  const graph::Tap first = grid.row(0)[0];  // -0.5: clamped to 0, whose cell is [0, 1]
  CHECK((first.i0 == 0 && first.i1 == 1 && first.w == 0.f && first.dpos == 0.f));
  const graph::Tap inside = graph::sample_grid(edges, Tensor({1, 1}, {1.5f}).data(), src).row(0)[0];  // 0.5
  CHECK((inside.i0 == 0 && inside.i1 == 1 && inside.w == 0.5f && inside.dpos == -1.f));
  const graph::Tap on_bound = graph::sample_grid(edges, Tensor({1, 1}, {2.f}).data(), src).row(0)[2];  // exactly 4
  CHECK((on_bound.i0 == 4 && on_bound.i1 == 4 && on_bound.dpos == 1.f));  // keeps its gradient (which is 0)
}

TEST_CASE("graph deform_sample: gradients to fs and s away from the kinks") {
  Rng rng(12);
  const Tensor fs = Tensor::randn({2, 2, 7, 8}, rng);
  const graph::PatchGrid src = graph::patch_grid(7, 8, 5, "test");
  const graph::EdgeList edges = gs::test::random_edges(2, 3, 2, src.nodes(), rng);
  const Tensor s = gs::test::smooth_scales(edges, src, rng);
  gs::test::check_gradients([&](const V& v) { return graph::deform_sample(v[0], edges, v[1], 5); }, {fs, s});

  const graph::PatchGrid src3 = graph::patch_grid(6, 5, 3, "test");
  const graph::EdgeList edges3 = gs::test::random_edges(1, 4, 3, src3.nodes(), rng);
  const Tensor s3 = gs::test::smooth_scales(edges3, src3, rng, 0.3f, 3.5f);  // many samples clamp
  gs::test::check_gradients([&](const V& v) { return graph::deform_sample(v[0], edges3, v[1], 3); },
                            {Tensor::randn({1, 3, 6, 5}, rng), s3});
}

TEST_CASE("graph deform_sample: at integer coordinates the derivative is taken on the cell [y, y+1]") {
  // s = 1 puts every sample on a pixel: dM/dy = F[y+1] - F[y] (0 on the last row), the same for x,
  // and dM/ds = (u - r) dM/dy + (v - r) dM/dx. Node 0 samples rows and columns 0..2; node 8 reaches
  // the last row and column, 4.
  Rng rng(13);
  const Tensor fs = Tensor::randn({1, 1, 5, 5}, rng);
  const graph::EdgeList edges{1, 2, 1, {0, 8}};
  const Tensor R = Tensor::randn({1, 2, 1, 1, 3, 3}, rng);
  Variable s(Tensor::ones({1, 2}), true);
  graph::deform_sample(Variable(fs), edges, s, 3).backward(R);
  auto F = [&](int64_t y, int64_t x) { return double(fs.at({0, 0, y, x})); };
  for (int64_t i = 0; i < 2; ++i) {
    const int64_t cy = 1 + 2 * i, cx = 1 + 2 * i;
    double expected = 0;
    for (int64_t u = 0; u < 3; ++u)
      for (int64_t v = 0; v < 3; ++v) {
        const int64_t y = cy + u - 1, x = cx + v - 1;
        const double dy = y < 4 ? F(y + 1, x) - F(y, x) : 0.0, dx = x < 4 ? F(y, x + 1) - F(y, x) : 0.0;
        expected += R.at({0, i, 0, 0, u, v}) * ((u - 1) * dy + (v - 1) * dx);
      }
    CHECK(s.grad().at({0, i}) == doctest::Approx(expected).epsilon(1e-5));
  }
}

TEST_CASE("graph deform_sample: errors") {
  const Variable fs(Tensor({1, 2, 5, 5}));
  const Variable s(Tensor::ones({1, 2}));
  CHECK_THROWS_WITH_AS(graph::deform_sample(fs, graph::EdgeList{1, 2, 1, {0, 9}}, s, 3), doctest::Contains("node 9"),
                       std::out_of_range);
  CHECK_THROWS_WITH_AS(graph::deform_sample(fs, graph::EdgeList{1, 2, 10, std::vector<int32_t>(20, 0)}, s, 3),
                       doctest::Contains("k = 10"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(graph::deform_sample(fs, graph::EdgeList{1, 2, 1, {0, 1}}, Variable(Tensor::ones({2})), 3),
                       doctest::Contains("s must be [N, Nc]"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(graph::deform_sample(fs, graph::EdgeList{1, 2, 1, {0, 1}}, s, 2), doctest::Contains("odd"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(graph::deform_sample(fs, graph::EdgeList{1, 2, 1, {0, 1}}, Variable(Tensor({1, 2}, {1.f, NAN})), 3),
                       doctest::Contains("not finite"), std::invalid_argument);
}
