#include <doctest/doctest.h>

#include "autograd/ops.h"
#include "gradcheck.h"

using gs::Rng;
using gs::Tensor;
using gs::ag::Variable;
using V = std::vector<Variable>;
namespace ag = gs::ag;

namespace {
Tensor positive(gs::Shape s, uint64_t seed) {  // in [0.5, 2]: away from log/sqrt/div poles
  Rng rng(seed);
  return Tensor::uniform(std::move(s), rng, 0.5f, 2.f);
}
Tensor normal(gs::Shape s, uint64_t seed) {
  Rng rng(seed);
  return Tensor::randn(std::move(s), rng);
}
// Values at least 0.1 away from 0, so the finite differences (2h = 0.02) never cross a kink.
Tensor away_from_zero(gs::Shape s, uint64_t seed) {
  Tensor t = normal(std::move(s), seed);
  for (int64_t i = 0; i < t.numel(); ++i) t.data()[i] += t.data()[i] >= 0 ? 0.1f : -0.1f;
  return t;
}
}  // namespace

TEST_CASE("ag elementwise: binary ops with broadcasting") {
  const Tensor a = normal({2, 3, 4}, 1);
  const Tensor row = normal({4}, 2);          // broadcast over the leading dimensions
  const Tensor col = positive({2, 1, 4}, 3);  // broadcast over the middle dimension
  gs::test::check_gradients([](const V& v) { return ag::add(v[0], v[1]); }, {a, row});
  gs::test::check_gradients([](const V& v) { return ag::sub(v[0], v[1]); }, {a, col});
  gs::test::check_gradients([](const V& v) { return ag::mul(v[0], v[1]); }, {a, col});
  gs::test::check_gradients([](const V& v) { return ag::div(v[0], v[1]); }, {a, col});
  gs::test::check_gradients([](const V& v) { return ag::div(v[1], v[0]); }, {positive({3, 1}, 4), normal({3, 5}, 5)});
}

TEST_CASE("ag elementwise: unary and scalar ops") {
  const Tensor x = normal({3, 5}, 6);
  const Tensor p = positive({3, 5}, 7);
  gs::test::check_gradients([](const V& v) { return ag::neg(v[0]); }, {x});
  gs::test::check_gradients([](const V& v) { return ag::add_scalar(v[0], 2.5f); }, {x});
  gs::test::check_gradients([](const V& v) { return ag::mul_scalar(v[0], -1.5f); }, {x});
  gs::test::check_gradients([](const V& v) { return ag::exp(v[0]); }, {x});
  gs::test::check_gradients([](const V& v) { return ag::log(v[0]); }, {p});
  gs::test::check_gradients([](const V& v) { return ag::sqrt(v[0]); }, {p});
  gs::test::check_gradients([](const V& v) { return ag::pow(v[0], 3.f); }, {x});
  gs::test::check_gradients([](const V& v) { return ag::pow(v[0], -0.5f); }, {p});
  gs::test::check_gradients([](const V& v) { return ag::sigmoid(v[0]); }, {x});
  gs::test::check_gradients([](const V& v) { return ag::relu(v[0]); }, {away_from_zero({4, 6}, 8)});
  gs::test::check_gradients([](const V& v) { return ag::leaky_relu(v[0], 0.2f); }, {away_from_zero({4, 6}, 9)});
}

TEST_CASE("ag elementwise: derivative conventions at 0") {
  // ReLU'(0) = 0 (MODEL.md 1); LeakyReLU'(0) = slope (fixtures/README: every attention logit is 0 at init).
  Variable x(Tensor({3}, {-1, 0, 1}), true);
  ag::relu(x).backward(Tensor::ones({3}));
  CHECK(x.grad().to_vector() == std::vector<float>{0, 0, 1});
  Variable y(Tensor({3}, {-1, 0, 1}), true);
  ag::leaky_relu(y, 0.2f).backward(Tensor::ones({3}));
  CHECK(y.grad().to_vector() == std::vector<float>{0.2f, 0.2f, 1});
}

TEST_CASE("ag elementwise: forward values and shape errors name both shapes") {
  Tensor a({2, 1}, {1, 2}), b({3}, {10, 20, 30});
  CHECK(gs::add(a, b).to_vector() == std::vector<float>{11, 21, 31, 12, 22, 32});
  CHECK(gs::sub(b, a).shape() == gs::Shape{2, 3});
  CHECK(gs::mul(a.transpose(0, 1), Tensor({2, 1}, {3, 4})).to_vector() == std::vector<float>{3, 6, 4, 8});
  CHECK_THROWS_WITH_AS(gs::add(Tensor({2, 3}), Tensor({4})), doctest::Contains("shapes [2, 3] and [4]"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(ag::mul(Variable(Tensor({2})), Variable(Tensor({3}))), doctest::Contains("shapes [2] and [3]"),
                       std::invalid_argument);
}
