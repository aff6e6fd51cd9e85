#include <doctest/doctest.h>

#include "autograd/ops.h"
#include "gradcheck.h"

using gs::Rng;
using gs::Tensor;
using gs::ag::Variable;
using V = std::vector<Variable>;
namespace ag = gs::ag;

TEST_CASE("ag shape: reshape and permute") {
  Rng rng(5);
  const Tensor x = Tensor::randn({2, 3, 4}, rng);
  gs::test::check_gradients([](const V& v) { return ag::reshape(v[0], {4, 6}); }, {x});
  gs::test::check_gradients([](const V& v) { return ag::permute(v[0], {2, 0, 1}); }, {x});
  gs::test::check_gradients([](const V& v) { return ag::mul(ag::permute(v[0], {1, 0}), v[1]); },
                            {Tensor::randn({3, 2}, rng), Tensor::randn({2, 3}, rng)});
}

TEST_CASE("ag shape: concat along a middle dim") {
  Rng rng(6);
  const Tensor a = Tensor::randn({2, 1, 3}, rng), b = Tensor::randn({2, 4, 3}, rng);
  gs::test::check_gradients([](const V& v) { return ag::concat({v[0], v[1], v[0]}, 1); }, {a, b});
  CHECK(gs::concat({Tensor({1, 2}, {1, 2}), Tensor({1, 1}, {3})}, 1).to_vector() == std::vector<float>{1, 2, 3});
  CHECK_THROWS_WITH_AS(gs::concat({Tensor({1, 2}), Tensor({2, 3})}, 1), doctest::Contains("[2, 3]"),
                       std::invalid_argument);
}

TEST_CASE("ag shape: index_select and gather with repeated indices") {
  Rng rng(7);
  const Tensor x = Tensor::randn({3, 4, 2}, rng);
  const std::vector<int64_t> idx{3, 0, 3, 1};  // index 3 twice: its gradient must accumulate
  gs::test::check_gradients([idx](const V& v) { return ag::index_select(v[0], 1, idx); }, {x});
  gs::Index gi{{3, 2, 2}, {0, 3, 3, 3, 1, 1, 2, 0, 0, 0, 3, 2}};
  gs::test::check_gradients([gi](const V& v) { return ag::gather(v[0], 1, gi); }, {x});
  Tensor t({2, 3}, {1, 2, 3, 4, 5, 6});
  CHECK(gs::index_select(t, 1, {2, 0}).to_vector() == std::vector<float>{3, 1, 6, 4});
  CHECK(gs::gather(t, 1, gs::Index{{2, 1}, {2, 0}}).to_vector() == std::vector<float>{3, 4});
  CHECK_THROWS_AS(gs::index_select(t, 1, {3}), std::out_of_range);
  CHECK_THROWS_WITH_AS(gs::gather(t, 1, gs::Index{{3, 1}, {0, 0, 0}}), doctest::Contains("[3, 1]"),
                       std::invalid_argument);
}
