// The convolution autograd ops: gradient checks, the fused ReLU, and the golden files.
#include <doctest/doctest.h>

#include <functional>
#include <string>

#include "autograd/ops.h"
#include "nn/conv2d.h"
#include "gradcheck.h"
#include "nn/h5_fixture.h"
#include "shared_path.h"
#include "tensor/ops.h"

using gs::Rng;
using gs::Shape;
using gs::Tensor;
using gs::ag::Variable;
using gs::nn::Conv2dParams;

namespace {

using ConvFn = std::function<Variable(const Variable&, const Variable&, const Variable&)>;

// Runs f(x, w, b) on a golden file's inputs and checks the output and the gradients of x, w, b.
void check_conv_fixture(const std::string& file, const ConvFn& f) {
  std::string path = gs::test::shared_file("fixtures/" + file);
  if (path.empty()) return;
  gs::test::H5Fixture h5(path);
  Variable x(h5.tensor("inputs/x"), true), w(h5.tensor("params/w"), true), b(h5.tensor("params/b"), true);
  Variable y = f(x, w, b);
  gs::test::check_fixture(h5, "outputs/y", y.value());
  y.backward(h5.tensor("grad_outputs/y"));
  gs::test::check_fixture(h5, "grads/x", x.grad());
  gs::test::check_fixture(h5, "grads/w", w.grad());
  gs::test::check_fixture(h5, "grads/b", b.grad());
}

}  // namespace

TEST_CASE("conv2d: finite-difference gradients of x, w and bias") {
  Rng rng(11);
  struct Case {
    Shape x, w;
    Conv2dParams p;
    bool bias;
  };
  for (const Case& c :
       {Case{{2, 3, 5, 4}, {4, 3, 3, 3}, {1, 1}, true}, Case{{1, 2, 7, 6}, {3, 2, 3, 3}, {2, 1}, false},
        Case{{1, 3, 4, 5}, {2, 3, 1, 1}, {1, 0}, true}, Case{{1, 2, 9, 8}, {2, 2, 3, 3}, {2, 0}, true}}) {
    CAPTURE(gs::shape_str(c.x));
    CAPTURE(gs::shape_str(c.w));
    Tensor x = Tensor::randn(c.x, rng), w = Tensor::randn(c.w, rng, 0.5f);
    Tensor b = c.bias ? Tensor::randn({c.w[0]}, rng) : Tensor();
    auto f = [p = c.p](const std::vector<Variable>& v) { return gs::nn::conv2d(v[0], v[1], v[2], p); };
    gs::test::check_gradients(f, {x, w, b}, c.bias ? std::vector<int>{0, 1, 2} : std::vector<int>{0, 1});
  }
}

TEST_CASE("reflect_conv3x3: finite-difference gradients") {
  Rng rng(12);
  Tensor x = Tensor::randn({2, 3, 5, 4}, rng), w = Tensor::randn({2, 3, 3, 3}, rng, 0.5f), b = Tensor::randn({2}, rng);
  auto f = [](const std::vector<Variable>& v) { return gs::nn::reflect_conv3x3(v[0], v[1], v[2]); };
  gs::test::check_gradients(f, {x, w, b}, {0, 1, 2});
  // The 3x3 check names the shape.
  Variable w5(Tensor({2, 3, 5, 5}));
  CHECK_THROWS_WITH_AS(gs::nn::reflect_conv3x3(Variable(x), w5, Variable(b)), doctest::Contains("[2, 3, 5, 5]"),
                       std::invalid_argument);
}

TEST_CASE("conv2d_relu: the fused op equals relu(conv2d), values and gradients") {
  Rng rng(13);
  Tensor x = Tensor::randn({2, 8, 6, 7}, rng), w = Tensor::randn({16, 8, 3, 3}, rng, 0.3f),
         b = Tensor::randn({16}, rng);
  Tensor r = Tensor::randn({2, 16, 6, 7}, rng);
  auto run = [&](bool fused) {
    Variable xv(x, true), wv(w, true), bv(b, true);
    Variable y = fused ? gs::nn::reflect_conv3x3_relu(xv, wv, bv) : gs::ag::relu(gs::nn::reflect_conv3x3(xv, wv, bv));
    y.backward(r);
    return std::vector<Tensor>{y.value(), xv.grad(), wv.grad(), bv.grad()};
  };
  std::vector<Tensor> fused = run(true), plain = run(false);
  // Different oneDNN kernels may sum in another order: allow float32 rounding, nothing more.
  for (size_t i = 0; i < fused.size(); ++i) CHECK(gs::max_abs_diff(fused[i], plain[i]) < 1e-5f);
  // Without gradients the fused inference primitive gives the same values.
  gs::ag::NoGradGuard no_grad;
  Variable y = gs::nn::reflect_conv3x3_relu(Variable(x), Variable(w), Variable(b));
  CHECK_FALSE(y.requires_grad());
  CHECK(gs::max_abs_diff(y.value(), fused[0]) < 1e-5f);
}

TEST_CASE("conv2d: only the gradients that are asked for") {
  Rng rng(14);
  Variable x(Tensor::randn({1, 2, 5, 5}, rng), true), w(Tensor::randn({3, 2, 3, 3}, rng), false);
  Variable b(Tensor::randn({3}, rng), false);
  Variable y = gs::nn::conv2d(x, w, b, {1, 1});
  y.backward(Tensor::ones(y.shape()));
  CHECK(x.has_grad());
  CHECK_FALSE(w.has_grad());
  CHECK_FALSE(b.has_grad());
  // A frozen input and weights: nothing is recorded.
  Variable y2 = gs::nn::conv2d(x.detach(), w, b, {1, 1});
  CHECK_FALSE(y2.requires_grad());
  // The bias alone.
  Variable b2(b.value(), true);
  gs::nn::conv2d(x.detach(), w, b2, {1, 1}).backward(Tensor::ones(y.shape()));
  CHECK(gs::max_abs_diff(b2.grad(), Tensor::full({3}, 25.f)) == 0.f);
}

TEST_CASE("conv2d: shape errors name both shapes") {
  Variable x(Tensor({1, 3, 5, 5})), w(Tensor({4, 2, 3, 3}));
  CHECK_THROWS_WITH_AS(gs::nn::conv2d(x, w), doctest::Contains("x [1, 3, 5, 5], w [4, 2, 3, 3]"),
                       std::invalid_argument);
}

TEST_CASE("conv2d fixtures: reflect pad 1, zero pad 1, 1x1, stride 2") {
  check_conv_fixture("conv2d_reflect_pad1.h5", [](const Variable& x, const Variable& w, const Variable& b) {
    return gs::nn::reflect_conv3x3(x, w, b);
  });
  check_conv_fixture("conv2d_zero_pad1.h5", [](const Variable& x, const Variable& w, const Variable& b) {
    return gs::nn::conv2d(x, w, b, {1, 1});
  });
  check_conv_fixture("conv2d_1x1.h5",
                     [](const Variable& x, const Variable& w, const Variable& b) { return gs::nn::conv2d(x, w, b); });
  check_conv_fixture("conv2d_stride2.h5", [](const Variable& x, const Variable& w, const Variable& b) {
    return gs::nn::conv2d(x, w, b, {2, 1});
  });
}
