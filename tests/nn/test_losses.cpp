#include "nn/losses.h"

#include <doctest/doctest.h>

#include "autograd/ops.h"
#include "gradcheck.h"

using gs::Rng;
using gs::Tensor;
using gs::ag::Variable;
using V = std::vector<Variable>;

TEST_CASE("nn losses: content loss never sends gradient to its target") {
  Variable out(Tensor({2}, {1, 2}), true), target(Tensor({2}, {0, 0}), true);
  Variable l = gs::nn::content_loss(out, target);
  CHECK(l.value().item() == doctest::Approx(2.5));
  l.backward();
  CHECK(out.grad().to_vector() == std::vector<float>{1, 2});
  CHECK_FALSE(target.has_grad());
}

TEST_CASE("nn losses: style loss over layers of different shapes") {
  Rng rng(13);
  const Tensor o1 = Tensor::randn({2, 3, 4, 4}, rng), o2 = Tensor::randn({2, 5, 2, 3}, rng);
  const Tensor s1 = Tensor::randn({2, 3, 4, 4}, rng), s2 = Tensor::randn({2, 5, 2, 3}, rng);
  gs::test::check_gradients(
      [&](const V& v) { return gs::nn::style_loss({v[0], v[1]}, {Variable(s1), Variable(s2)}); }, {o1, o2});
  // Identical statistics give zero loss.
  CHECK(gs::nn::style_loss({Variable(s1)}, {Variable(s1)}).value().item() == 0.f);
  CHECK_THROWS_AS(gs::nn::style_loss({Variable(s1)}, {}), std::invalid_argument);
}
