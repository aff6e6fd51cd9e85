#include <doctest/doctest.h>

#include "autograd/ops.h"
#include "gradcheck.h"

using gs::Rng;
using gs::Tensor;
using gs::ag::Variable;
using V = std::vector<Variable>;
namespace ag = gs::ag;

TEST_CASE("ag reduce: sum and mean over chosen dims, keepdim or not") {
  Rng rng(3);
  const Tensor x = Tensor::randn({2, 3, 4}, rng);
  gs::test::check_gradients([](const V& v) { return ag::sum(v[0]); }, {x});
  gs::test::check_gradients([](const V& v) { return ag::sum(v[0], {1}); }, {x});
  gs::test::check_gradients([](const V& v) { return ag::sum(v[0], {0, 2}, true); }, {x});
  gs::test::check_gradients([](const V& v) { return ag::mean(v[0], {-1}); }, {x});
  gs::test::check_gradients([](const V& v) { return ag::mean(v[0], {0, 1}, true); }, {x});
  gs::test::check_gradients([](const V& v) { return ag::mean(v[0]); }, {x});
}

TEST_CASE("ag reduce: softmax along each dim") {
  Rng rng(4);
  const Tensor x = Tensor::randn({2, 3, 5}, rng);
  for (int64_t d : {0, 1, 2, -1})
    gs::test::check_gradients([d](const V& v) { return ag::softmax(v[0], d); }, {x});
  Tensor s = gs::softmax(x, 1);
  Tensor total = gs::sum(s, {1});
  for (float t : total.to_vector()) CHECK(t == doctest::Approx(1.0).epsilon(1e-6));
  // Large logits do not overflow.
  Tensor big({1, 2}, {1000.f, 1000.f});
  CHECK(gs::softmax(big, 1).to_vector() == std::vector<float>{0.5f, 0.5f});
}

TEST_CASE("tensor reduce: values, keepdim and max") {
  Tensor x({2, 3}, {1, 2, 3, 4, 5, 6});
  CHECK(gs::sum(x, {0}).to_vector() == std::vector<float>{5, 7, 9});
  CHECK(gs::sum(x, {1}, true).shape() == gs::Shape{2, 1});
  CHECK(gs::mean(x, {}).item() == 3.5f);
  CHECK(gs::max(x, {1}).to_vector() == std::vector<float>{3, 6});
  CHECK(gs::sum(x.transpose(0, 1), {1}).to_vector() == std::vector<float>{5, 7, 9});
  CHECK_THROWS_AS(gs::sum(x, {2}), std::invalid_argument);
  CHECK(gs::sum_to(Tensor::ones({4, 2, 3}), {2, 1}).to_vector() == std::vector<float>{12, 12});
}
