#include "autograd/variable.h"

#include <doctest/doctest.h>

#include "autograd/backward_hooks.h"
#include "autograd/ops.h"

using gs::Tensor;
using gs::ag::Variable;

TEST_CASE("variable: a variable used twice accumulates both gradients") {
  Variable x(Tensor({3}, {1, 2, 3}), true);
  Variable y = gs::ag::add(gs::ag::mul(x, x), x);  // y = x^2 + x, dy/dx = 2x + 1
  y.backward(Tensor::ones({3}));
  CHECK(x.grad().to_vector() == std::vector<float>{3, 5, 7});
}

TEST_CASE("variable: diamond graph runs each backward once, after all its consumers") {
  Variable x(Tensor::scalar(2.f), true);
  Variable a = gs::ag::mul_scalar(x, 3.f);
  Variable b = gs::ag::mul(a, a);        // 9 x^2
  Variable c = gs::ag::add(b, a);        // 9 x^2 + 3x -> 36 + 3 = 39 at x = 2
  c.backward();
  CHECK(x.grad().item() == doctest::Approx(39.0));
}

TEST_CASE("variable: no-grad guard and detach record nothing") {
  Variable x(Tensor({2}, {1, 2}), true);
  {
    gs::ag::NoGradGuard guard;
    Variable y = gs::ag::mul(x, x);
    CHECK_FALSE(y.requires_grad());
  }
  CHECK(gs::ag::grad_enabled());
  Variable z = gs::ag::mul(x.detach(), x);
  z.backward(Tensor::ones({2}));
  CHECK(x.grad().to_vector() == std::vector<float>{1, 2});  // only the non-detached factor
}

TEST_CASE("variable: gradients only for inputs that require them") {
  Variable w(Tensor({2}, {1, 2}), true);
  Variable c(Tensor({2}, {3, 4}), false);
  Variable y = gs::ag::mul(w, c);
  y.backward(Tensor::ones({2}));
  CHECK(w.grad().to_vector() == std::vector<float>{3, 4});
  CHECK_FALSE(c.has_grad());
  CHECK_THROWS_AS(c.grad(), std::logic_error);
}

TEST_CASE("variable: errors") {
  Variable x(Tensor({2}, {1, 2}), true);
  CHECK_THROWS_WITH_AS(gs::ag::mul(x, x).backward(), doctest::Contains("[2]"), std::logic_error);
  Variable c(Tensor({2}, {1, 2}), false);
  CHECK_THROWS_AS(c.backward(Tensor::ones({2})), std::logic_error);
  CHECK_THROWS_WITH_AS(x.add_grad(Tensor::ones({3})), doctest::Contains("[3]"), std::logic_error);
}

TEST_CASE("variable: backward of several roots, one feeding another") {
  for (bool reversed : {false, true}) {
    Variable x(Tensor::scalar(3.f), true);
    Variable a = gs::ag::mul_scalar(x, 2.f);  // a = 2x
    Variable b = gs::ag::mul(a, a);           // b = 4x^2, depends on root a
    std::vector<Variable> roots{a, b};
    std::vector<Tensor> seeds{Tensor::scalar(1.f), Tensor::scalar(10.f)};
    if (reversed) {
      std::swap(roots[0], roots[1]);
      std::swap(seeds[0], seeds[1]);
    }
    gs::ag::backward(roots, seeds);
    CHECK(x.grad().item() == doctest::Approx(2.0 + 10.0 * 8 * 3));  // d(a + 10 b)/dx = 2 + 80x
  }
}

TEST_CASE("variable: backward hooks report each leaf once its gradient is final, and every op") {
  Variable x(Tensor({3}, {1, 2, 3}), true), w(Tensor({3}, {2, 2, 2}), true);
  Variable frozen(Tensor({3}, {1, 1, 1}));
  // x is used by the first op and by the last: it is final only after both have run.
  Variable y = gs::ag::add(gs::ag::mul(gs::ag::mul(x, w), frozen), x);
  std::vector<std::pair<const void*, std::vector<float>>> ready;
  int ops = 0;
  gs::ag::BackwardHooks hooks;
  hooks.gradient_ready = [&](const void* leaf) {
    ready.push_back({leaf, leaf == x.id() ? x.grad().to_vector() : w.grad().to_vector()});
  };
  hooks.after_op = [&] { ++ops; };
  {
    gs::ag::BackwardHooksScope scope(hooks);
    y.backward(Tensor::ones({3}));
  }
  CHECK(ops == 3);
  REQUIRE(ready.size() == 2);  // x and w; `frozen` needs no gradient
  for (const auto& [leaf, grad] : ready) {
    if (leaf == x.id()) CHECK(grad == std::vector<float>{3, 3, 3});  // w + 1: both uses
    else CHECK(grad == std::vector<float>{1, 2, 3});
  }
  // Outside the scope, nothing is called.
  Variable z = gs::ag::mul(x, x);
  z.backward(Tensor::ones({3}));
  CHECK(ops == 3);
  CHECK(ready.size() == 2);
}
