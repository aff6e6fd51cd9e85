#include "nn/statistics.h"

#include <doctest/doctest.h>

#include "autograd/ops.h"
#include "gradcheck.h"

using gs::Rng;
using gs::Tensor;
using gs::ag::Variable;
using V = std::vector<Variable>;

TEST_CASE("nn statistics: mean_std values and gradients") {
  Tensor x({1, 1, 2, 2}, {1, 2, 3, 4});
  auto [mu, sigma] = gs::nn::mean_std(Variable(x));
  CHECK(mu.value().item() == doctest::Approx(2.5));
  CHECK(sigma.value().item() == doctest::Approx(std::sqrt(5.0 / 3.0 + 1e-5)));  // unbiased variance
  Rng rng(11);
  const Tensor y = Tensor::randn({2, 3, 4, 5}, rng);
  gs::test::check_gradients([](const V& v) { return gs::nn::mean_std(v[0]).first; }, {y});
  gs::test::check_gradients([](const V& v) { return gs::nn::mean_std(v[0]).second; }, {y});
  CHECK_THROWS_WITH_AS(gs::nn::mean_std(Variable(Tensor({1, 2, 1, 1}))), doctest::Contains("[1, 2, 1, 1]"),
                       std::invalid_argument);
}

TEST_CASE("nn statistics: adain transfers the style statistics; alpha mixes") {
  Rng rng(12);
  const Tensor c = Tensor::randn({2, 3, 4, 5}, rng), s = Tensor::uniform({2, 3, 6, 3}, rng, 1, 4);
  Variable t = gs::nn::adain(Variable(c), Variable(s));
  auto [mt, st] = gs::nn::mean_std(t);
  auto [ms, ss] = gs::nn::mean_std(Variable(s));
  CHECK(gs::max_abs_diff(mt.value(), ms.value()) < 1e-5f);
  CHECK(gs::max_abs_diff(st.value(), ss.value()) < 1e-3f);  // equal up to the eps inside sigma(c)
  gs::test::check_gradients([](const V& v) { return gs::nn::adain(v[0], v[1]); }, {c, s});
  gs::test::check_gradients([](const V& v) { return gs::nn::adain_mix(v[0], v[1], 0.3f); }, {c, s});
  CHECK(gs::max_abs_diff(gs::nn::adain_mix(Variable(c), Variable(s), 0.f).value(), c) == 0.f);
  CHECK_THROWS_AS(gs::nn::adain_mix(Variable(c), Variable(s), 1.5f), std::invalid_argument);
  CHECK_THROWS_WITH_AS(gs::nn::adain(Variable(c), Variable(Tensor({2, 4, 3, 3}))), doctest::Contains("[2, 4, 3, 3]"),
                       std::invalid_argument);
}
