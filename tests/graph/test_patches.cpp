#include <doctest/doctest.h>

#include "autograd/ops.h"
#include "gradcheck.h"
#include "graph/patches.h"

using gs::Rng;
using gs::Tensor;
using gs::ag::Variable;
using V = std::vector<Variable>;
namespace graph = gs::graph;

TEST_CASE("graph patches: unfold uses F.unfold's column layout") {
  // x[n,c,y,x] = 1000 n + 100 c + 10 y + x, so every value names its position.
  Tensor x({2, 2, 4, 5});
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t c = 0; c < 2; ++c)
      for (int64_t y = 0; y < 4; ++y)
        for (int64_t xx = 0; xx < 5; ++xx) x.set({n, c, y, xx}, float(1000 * n + 100 * c + 10 * y + xx));
  const Tensor cols = graph::unfold(Variable(x), 3).value();
  REQUIRE(cols.shape() == gs::Shape{2, 18, 6});  // C*p*p rows, (4-3+1)(5-3+1) nodes
  // row d = c*9 + ky*3 + kx, column i = oy*3 + ox
  CHECK(cols.at({1, 1 * 9 + 2 * 3 + 1, 1 * 3 + 2}) == 1000 + 100 + 10 * (1 + 2) + (2 + 1));
  CHECK(cols.at({0, 0, 0}) == 0);
  CHECK(cols.at({0, 8, 5}) == 10 * (1 + 2) + (2 + 2));
}

TEST_CASE("graph patches: fold_average(unfold(x)) == x and coverage counts") {
  Rng rng(1);
  for (int64_t p : {1, 3, 5}) {
    const Tensor x = Tensor::randn({2, 3, 7, 6}, rng);
    const Tensor back = graph::fold_average(graph::unfold(Variable(x), p), 7, 6, p).value();
    CHECK(gs::max_abs_diff(back, x) <= 1e-6f);
  }
  const Tensor count = graph::coverage_map(graph::patch_grid(4, 5, 3, "test"));
  // corners are covered once; the middle row/columns up to min(p, size-p+1) times per axis
  CHECK(count.at({0, 0}) == 1);
  CHECK(count.at({1, 1}) == 4);
  CHECK(count.at({2, 2}) == 2 * 3);
  CHECK(count.at({3, 4}) == 1);
}

TEST_CASE("graph patches: unfold, fold_average and patch_mean gradients") {
  Rng rng(2);
  const Tensor x = Tensor::randn({2, 2, 5, 6}, rng);
  gs::test::check_gradients([](const V& v) { return graph::unfold(v[0], 3); }, {x});
  const Tensor cols = Tensor::randn({1, 2 * 9, 3 * 4}, rng);
  gs::test::check_gradients([](const V& v) { return graph::fold_average(v[0], 5, 6, 3); }, {cols});
  const Tensor map = Tensor::randn({2, 1, 6, 7}, rng);
  gs::test::check_gradients([](const V& v) { return graph::patch_mean(v[0], 5); }, {map});
  gs::test::check_gradients([](const V& v) { return graph::patch_mean(v[0], 1); }, {map});
}

TEST_CASE("graph patches: patch_mean is the average pool of each node's patch") {
  Rng rng(3);
  const Tensor map = Tensor::randn({1, 1, 5, 6}, rng);
  const Tensor q = graph::patch_mean(Variable(map), 3).value();  // [1, 3*4]
  REQUIRE(q.shape() == gs::Shape{1, 12});
  const Tensor cols = graph::unfold(Variable(map), 3).value();  // [1, 9, 12]
  CHECK(gs::max_abs_diff(q, gs::mean(cols, {1})) <= 1e-6f);
}

TEST_CASE("graph patches: errors name the map and p") {
  const Variable x(Tensor({1, 2, 4, 6}));
  CHECK_THROWS_WITH_AS(graph::unfold(x, 4), doctest::Contains("p = 4"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(graph::unfold(x, 5), doctest::Contains("4x6 map is smaller than the patch size p = 5"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(graph::fold_average(Variable(Tensor({1, 18, 5})), 4, 6, 3), doctest::Contains("[1, 18, 5]"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(graph::patch_mean(x, 3), doctest::Contains("one-channel"), std::invalid_argument);
}
