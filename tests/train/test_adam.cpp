#include <doctest/doctest.h>

#include <cmath>

#include "autograd/ops.h"
#include "train/adam.h"

using gs::Tensor;
using gs::ag::Variable;

TEST_CASE("adam: first step moves each parameter by lr * sign(grad); schedule decays") {
  Variable w(Tensor({3}, {1, 2, 3}), true);
  gs::train::Adam opt({w}, {.lr = 0.1f});
  w.add_grad(Tensor({3}, {0.5f, -2.f, 0.f}));
  CHECK(opt.learning_rate() == doctest::Approx(0.1));
  opt.step();
  CHECK(w.value().at({0}) == doctest::Approx(0.9).epsilon(1e-6));
  CHECK(w.value().at({1}) == doctest::Approx(2.1).epsilon(1e-6));
  CHECK(w.value().at({2}) == 3.f);  // zero gradient: m = 0, no move
  CHECK(opt.learning_rate() == doctest::Approx(0.1 / (1 + 5e-5)));
  CHECK(opt.steps_done() == 1);
}

TEST_CASE("adam: matches a double-precision reference over several steps") {
  Variable w(Tensor({2}, {0.5f, -1.f}), true);
  gs::train::Adam opt({w}, {.lr = 0.01f, .lr_decay = 0.1f});
  double ref[2] = {0.5, -1.0}, m[2] = {0, 0}, v[2] = {0, 0};
  for (int t = 0; t < 5; ++t) {
    opt.zero_grad();
    // loss = sum(w^3): gradient 3 w^2, a gradient that changes with w
    gs::ag::sum(gs::ag::pow(w, 3.f)).backward();
    opt.step();
    const double lr = 0.01 / (1 + 0.1 * t);
    for (int i = 0; i < 2; ++i) {
      const double g = 3 * ref[i] * ref[i];
      m[i] = 0.9 * m[i] + 0.1 * g;
      v[i] = 0.999 * v[i] + 0.001 * g * g;
      ref[i] -= lr * (m[i] / (1 - std::pow(0.9, t + 1))) / (std::sqrt(v[i] / (1 - std::pow(0.999, t + 1))) + 1e-8);
    }
  }
  CHECK(w.value().at({0}) == doctest::Approx(ref[0]).epsilon(1e-5));
  CHECK(w.value().at({1}) == doctest::Approx(ref[1]).epsilon(1e-5));
}

TEST_CASE("adam: a learning-rate scale per parameter moves that parameter by lr * scale") {
  Variable a(Tensor({2}, {1, 1}), true), b(Tensor({2}, {1, 1}), true);
  gs::train::Adam opt({a, b}, {.lr = 0.1f}, {1.f, 0.25f});
  a.add_grad(Tensor({2}, {1.f, -3.f}));
  b.add_grad(Tensor({2}, {1.f, -3.f}));
  opt.step();
  CHECK(a.value().at({0}) == doctest::Approx(0.9).epsilon(1e-6));
  CHECK(b.value().at({0}) == doctest::Approx(0.975).epsilon(1e-6));
  CHECK(b.value().at({1}) == doctest::Approx(1.025).epsilon(1e-6));
  CHECK_THROWS_AS(gs::train::Adam({a, b}, {}, {1.f}), std::invalid_argument);
}
