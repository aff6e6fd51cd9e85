// Reflection padding, ceil-mode max-pool and x2 upsampling: hand-computed values, the conventions
// (mirrored gradients, pool ties, bilinear borders), gradient checks and the golden files; then the
// layers together: the decoder block and the tiny encoder.
#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include "autograd/ops.h"
#include "nn/conv2d.h"
#include "gradcheck.h"
#include "nn/h5_fixture.h"
#include "nn/image_layers.h"
#include "shared_path.h"

using gs::Rng;
using gs::Shape;
using gs::Tensor;
using gs::ag::Variable;
using gs::nn::Upsample;

namespace {

Tensor arange(const Shape& shape) {
  std::vector<float> v(gs::shape_numel(shape));
  std::iota(v.begin(), v.end(), 1.f);
  return Tensor(shape, v);
}

// Distinct values k * 0.1 in random order: no two inputs of a pool window are within 2h of each
// other, so finite differences with h = 1e-2 never cross a tie.
Tensor distinct_values(const Shape& shape, Rng& rng) {
  std::vector<float> v(gs::shape_numel(shape));
  for (size_t i = 0; i < v.size(); ++i) v[i] = 0.1f * static_cast<float>(i) - 1.f;
  std::shuffle(v.begin(), v.end(), rng.engine());
  return Tensor(shape, v);
}

// Runs a one-input op on a golden file and checks outputs/y and grads/x.
template <class F>
void check_unary_fixture(const std::string& file, F f) {
  std::string path = gs::test::shared_file("fixtures/" + file);
  if (path.empty()) return;
  gs::test::H5Fixture h5(path);
  Variable x(h5.tensor("inputs/x"), true);
  Variable y = f(x);
  gs::test::check_fixture(h5, "outputs/y", y.value());
  y.backward(h5.tensor("grad_outputs/y"));
  gs::test::check_fixture(h5, "grads/x", x.grad());
}

}  // namespace

TEST_CASE("reflection_pad2d: mirrors without repeating the edge; copies add their gradients") {
  Variable x(arange({1, 1, 3, 3}), true);  // 1 2 3 / 4 5 6 / 7 8 9
  Variable y = gs::nn::reflection_pad2d(x, 1);
  CHECK(y.shape() == Shape{1, 1, 5, 5});
  CHECK(y.value().to_vector() == std::vector<float>{5, 4, 5, 6, 5,  //
                                                    2, 1, 2, 3, 2,  //
                                                    5, 4, 5, 6, 5,  //
                                                    8, 7, 8, 9, 8,  //
                                                    5, 4, 5, 6, 5});
  y.backward(Tensor::ones(y.shape()));
  // How many of the 25 padded pixels copy each input pixel: rows 1,0,1,2,1 (same for columns).
  CHECK(x.grad().to_vector() == std::vector<float>{1, 3, 1, 3, 9, 3, 1, 3, 1});
  CHECK_THROWS_WITH_AS(gs::nn::reflection_pad2d(x, 3), doctest::Contains("[1, 1, 3, 3]"), std::invalid_argument);
}

TEST_CASE("reflection_pad2d: finite-difference gradients, pad 1 and 2, odd sizes") {
  Rng rng(21);
  for (int pad : {1, 2}) {
    Tensor x = Tensor::randn({2, 2, 5, 4}, rng);
    auto f = [pad](const std::vector<Variable>& v) { return gs::nn::reflection_pad2d(v[0], pad); };
    gs::test::check_gradients(f, {x}, {0});
  }
}

TEST_CASE("max_pool2x2_ceil: odd sizes give partial windows") {
  Variable x(arange({1, 1, 3, 5}), true);  // 1..5 / 6..10 / 11..15
  Variable y = gs::nn::max_pool2x2_ceil(x);
  CHECK(y.shape() == Shape{1, 1, 2, 3});
  CHECK(y.value().to_vector() == std::vector<float>{7, 9, 10, 12, 14, 15});
  y.backward(Tensor({1, 1, 2, 3}, {1, 2, 3, 4, 5, 6}));
  CHECK(x.grad().to_vector() == std::vector<float>{0, 0, 0, 0, 0,  //
                                                   0, 1, 0, 2, 3,  //
                                                   0, 4, 0, 5, 6});
  CHECK(gs::nn::max_pool2x2_ceil(Variable(Tensor({1, 2, 1, 1}, {3, -4}))).value().to_vector() ==
        std::vector<float>{3, -4});
}

TEST_CASE("max_pool2x2_ceil: ties send the gradient to the first maximum in row-major order") {
  // Windows: {5,5 / 5,5} -> (0,0); {1,7 / 7,7} -> (0,1); {2,0 / 2,0} -> (0,0); {-1,-1} partial -> left.
  Variable x(Tensor({1, 1, 2, 7}, {5, 5, 1, 7, 2, 0, -1,  //
                                   5, 5, 7, 7, 2, 0, -1}),
             true);
  Variable y = gs::nn::max_pool2x2_ceil(x);
  CHECK(y.value().to_vector() == std::vector<float>{5, 7, 2, -1});
  y.backward(Tensor::ones(y.shape()));
  CHECK(x.grad().to_vector() == std::vector<float>{1, 0, 0, 1, 1, 0, 1,  //
                                                   0, 0, 0, 0, 0, 0, 0});
}

TEST_CASE("max_pool2x2_ceil: finite-difference gradients away from ties") {
  Rng rng(22);
  for (const Shape& s : {Shape{1, 2, 5, 7}, Shape{2, 1, 4, 6}, Shape{1, 1, 3, 3}}) {
    auto f = [](const std::vector<Variable>& v) { return gs::nn::max_pool2x2_ceil(v[0]); };
    gs::test::check_gradients(f, {distinct_values(s, rng)}, {0});
  }
}

TEST_CASE("upsample2x nearest: each pixel becomes a 2x2 block; the gradient sums the block") {
  Variable x(arange({1, 1, 2, 3}), true);
  Variable y = gs::nn::upsample2x(x, Upsample::nearest);
  CHECK(y.value().to_vector() == std::vector<float>{1, 1, 2, 2, 3, 3,  //
                                                    1, 1, 2, 2, 3, 3,  //
                                                    4, 4, 5, 5, 6, 6,  //
                                                    4, 4, 5, 5, 6, 6});
  y.backward(arange({1, 1, 4, 6}));
  CHECK(x.grad().to_vector() == std::vector<float>{1 + 2 + 7 + 8, 3 + 4 + 9 + 10, 5 + 6 + 11 + 12, 13 + 14 + 19 + 20,
                                                   15 + 16 + 21 + 22, 17 + 18 + 23 + 24});
}

TEST_CASE("upsample2x bilinear: align_corners = false, borders clamp to the edge pixel") {
  // Source index (d + 0.5) / 2 - 0.5, clamped at 0: d = 0 -> 0, 1 -> 0.25, 2 -> 0.75, 3 -> 1.25
  // (whose right neighbour is past the end, so it reads pixel 1 alone).
  Variable x(Tensor({1, 1, 2, 2}, {1, 2, 3, 4}), true);
  Variable y = gs::nn::upsample2x(x, Upsample::bilinear);
  CHECK(y.value().to_vector() == std::vector<float>{1.0f, 1.25f, 1.75f, 2.0f,  //
                                                    1.5f, 1.75f, 2.25f, 2.5f,  //
                                                    2.5f, 2.75f, 3.25f, 3.5f,  //
                                                    3.0f, 3.25f, 3.75f, 4.0f});
  // Each input pixel's weights over the 4x4 output sum to 4 (the adjoint of an interpolation).
  y.backward(Tensor::ones(y.shape()));
  CHECK(x.grad().to_vector() == std::vector<float>{4, 4, 4, 4});
  // A single row or column is replicated.
  Variable line(Tensor({1, 1, 1, 3}, {0, 4, 8}));
  CHECK(gs::nn::upsample2x(line, Upsample::bilinear).value().to_vector() ==
        std::vector<float>{0, 1, 3, 5, 7, 8, 0, 1, 3, 5, 7, 8});
}

TEST_CASE("upsample2x: finite-difference gradients, nearest and bilinear") {
  Rng rng(23);
  for (Upsample mode : {Upsample::nearest, Upsample::bilinear}) {
    Tensor x = Tensor::randn({2, 2, 3, 5}, rng);
    auto f = [mode](const std::vector<Variable>& v) { return gs::nn::upsample2x(v[0], mode); };
    gs::test::check_gradients(f, {x}, {0});
  }
}

TEST_CASE("image layer fixtures: reflection pad, relu, max-pool, upsample") {
  check_unary_fixture("reflection_pad1.h5", [](const Variable& x) { return gs::nn::reflection_pad2d(x, 1); });
  check_unary_fixture("relu.h5", [](const Variable& x) { return gs::ag::relu(x); });
  check_unary_fixture("maxpool2x2_ceil_odd.h5", [](const Variable& x) { return gs::nn::max_pool2x2_ceil(x); });
  check_unary_fixture("maxpool2x2_ceil_ties.h5", [](const Variable& x) { return gs::nn::max_pool2x2_ceil(x); });
  check_unary_fixture("upsample_nearest2x.h5",
                      [](const Variable& x) { return gs::nn::upsample2x(x, Upsample::nearest); });
  check_unary_fixture("upsample_bilinear2x.h5",
                      [](const Variable& x) { return gs::nn::upsample2x(x, Upsample::bilinear); });
}

TEST_CASE("decoder block fixtures: reflect conv + ReLU + upsample, nearest and bilinear") {
  for (auto [file, mode] : {std::pair{"decoder_block_nearest.h5", Upsample::nearest},
                            std::pair{"decoder_block_bilinear.h5", Upsample::bilinear}}) {
    std::string path = gs::test::shared_file(std::string("fixtures/") + file);
    if (path.empty()) return;
    CAPTURE(file);
    gs::test::H5Fixture h5(path);
    Variable x(h5.tensor("inputs/x"), true), w(h5.tensor("params/w"), true), b(h5.tensor("params/b"), true);
    Variable y = gs::nn::upsample2x(gs::nn::reflect_conv3x3_relu(x, w, b), mode);
    gs::test::check_fixture(h5, "outputs/y", y.value());
    y.backward(h5.tensor("grad_outputs/y"));
    gs::test::check_fixture(h5, "grads/x", x.grad());
    gs::test::check_fixture(h5, "grads/w", w.grad());
    gs::test::check_fixture(h5, "grads/b", b.grad());
  }
}

TEST_CASE("encoder_tiny fixture: the encoder graph of these layers, relu1_1..relu4_1 and grad of x") {
  std::string path = gs::test::shared_file("fixtures/encoder_tiny.h5");
  if (path.empty()) return;
  gs::test::H5Fixture h5(path);
  auto param = [&](const std::string& name) { return Variable(h5.tensor("params/encoder." + name)); };
  auto block = [&](const Variable& h, const std::string& name) {
    return gs::nn::reflect_conv3x3_relu(h, param(name + ".weight"), param(name + ".bias"));
  };
  Variable x(h5.tensor("inputs/x"), true);
  Variable h = gs::nn::conv2d(x, param("conv0.weight"), param("conv0.bias"));
  Variable r11 = block(h, "conv1_1");
  Variable r21 = block(gs::nn::max_pool2x2_ceil(block(r11, "conv1_2")), "conv2_1");
  Variable r31 = block(gs::nn::max_pool2x2_ceil(block(r21, "conv2_2")), "conv3_1");
  h = block(block(block(r31, "conv3_2"), "conv3_3"), "conv3_4");
  Variable r41 = block(gs::nn::max_pool2x2_ceil(h), "conv4_1");
  std::vector<Variable> outs{r11, r21, r31, r41};
  std::vector<std::string> names{"relu1_1", "relu2_1", "relu3_1", "relu4_1"};
  std::vector<Tensor> seeds;
  for (size_t i = 0; i < outs.size(); ++i) {
    gs::test::check_fixture(h5, "outputs/" + names[i], outs[i].value());
    seeds.push_back(h5.tensor("grad_outputs/" + names[i]));
  }
  gs::ag::backward(outs, seeds);
  gs::test::check_fixture(h5, "grads/x", x.grad());
}
