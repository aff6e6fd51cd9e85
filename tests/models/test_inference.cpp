// The inference encoder and decoder (channels-last, in strips) against the autograd networks they
// replace when no gradient is needed, and tiled against untiled, on odd-sized images.
#include <doctest/doctest.h>

#include <cmath>

#include "models/decoder.h"
#include "models/encoder.h"
#include "models/inference.h"
#include "tensor/ops.h"

using gs::Rng;
using gs::Shape;
using gs::Tensor;
using gs::models::DecoderInference;
using gs::models::EncoderInference;
using gs::models::ModelConfig;

namespace {

// Every parameter of the model with a He-scaled normal draw (activations stay of order 1) and
// small biases; no files needed.
gs::nn::Module random_params(const ModelConfig& config, uint64_t seed) {
  Rng rng(seed);
  gs::nn::Module m;
  for (const auto& [name, shape] : gs::models::parameter_shapes(config)) {
    const bool bias = shape.size() == 1;
    const float fan_in = bias ? 1.f : static_cast<float>(gs::shape_numel(shape) / shape[0]);
    m.add_parameter(name, Tensor::randn(shape, rng, bias ? 0.05f : std::sqrt(2.f / fan_in)));
  }
  return m;
}

// max |a - b| relative to max |b|: float32 rounding gives ~1e-7; a wrong row gives O(1).
float relative_diff(const Tensor& a, const Tensor& b) {
  REQUIRE(a.shape() == b.shape());
  const float scale = std::max(gs::max(b, {}).item(), -gs::max(gs::neg(b), {}).item());
  return gs::max_abs_diff(a, b) / (scale > 0 ? scale : 1.f);
}

// The autograd networks (NCHW layers), without gradients: the same oneDNN inference kernels.
Tensor graph_encode(const gs::nn::Module& p, const ModelConfig& c, const Tensor& x) {
  gs::ag::NoGradGuard no_grad;
  return gs::models::encode(p, c, gs::ag::Variable(x), {4})[0].value();
}
Tensor graph_decode(const gs::nn::Module& p, const ModelConfig& c, const Tensor& t) {
  gs::ag::NoGradGuard no_grad;
  return gs::models::decode_layers(p, c, gs::ag::Variable(t)).value();
}

}  // namespace

TEST_CASE("inference encoder: equals the autograd encoder; strips equal the whole image (odd sizes)") {
  for (auto layout : {gs::models::EncoderLayout::vgg_normalised, gs::models::EncoderLayout::torchvision}) {
    ModelConfig config;
    config.encoder = layout;
    const gs::nn::Module p = random_params(config, 1);
    Rng rng(2);
    const Tensor x = Tensor::uniform({1, 3, 203, 45}, rng, 0.f, 1.f);  // relu4_1: 26 x 6 rows
    const EncoderInference encoder(p, config);
    const Tensor whole = encoder(x);
    CHECK(whole.shape() == Shape{1, 512, 26, 6});
    MESSAGE("encoder: inference vs autograd layers max rel diff " << relative_diff(whole, graph_encode(p, config, x)));
    CHECK(relative_diff(whole, graph_encode(p, config, x)) < 1e-6f);
    // 8 * 45 * 13 pixels: strips of 13 - 2 * 4 = 5 delivered rows, 6 strips (the last one partial).
    const int64_t pixels = 8 * 45 * 13;
    CHECK(gs::models::plan_strips(26, gs::models::strip_rows(45, gs::models::kEncoderHalo, pixels),
                                  gs::models::kEncoderHalo)
              .size() == 6);
    const Tensor tiled = encoder(x, pixels);
    MESSAGE("encoder: tiled vs whole max rel diff " << relative_diff(tiled, whole));
    CHECK(relative_diff(tiled, whole) < 1e-6f);
  }
}

TEST_CASE("inference encoder: relus gives the autograd encoder's relu1_1..relu4_1, and relu4_1 bit for bit") {
  for (auto layout : {gs::models::EncoderLayout::vgg_normalised, gs::models::EncoderLayout::torchvision}) {
    ModelConfig config;
    config.encoder = layout;
    const gs::nn::Module p = random_params(config, 5);
    Rng rng(6);
    const Tensor x = Tensor::uniform({1, 3, 37, 50}, rng, 0.f, 1.f);
    const EncoderInference encoder(p, config);
    const std::vector<Tensor> r = encoder.relus(x);
    REQUIRE(r.size() == 4);
    CHECK(r[0].shape() == Shape{1, 64, 37, 50});
    CHECK(r[3].shape() == Shape{1, 512, 5, 7});
    CHECK(relative_diff(r[3], encoder(x)) == 0.f);
    gs::ag::NoGradGuard no_grad;
    const auto want = gs::models::encode(p, config, gs::ag::Variable(x), {1, 2, 3, 4});
    for (int l = 0; l < 4; ++l) {
      CAPTURE(l);
      CHECK(relative_diff(r[l], want[l].value()) < 1e-6f);
    }
  }
}

TEST_CASE("inference encoder: a batch of two equals each image alone") {
  ModelConfig config;
  const gs::nn::Module p = random_params(config, 3);
  Rng rng(4);
  const Tensor x = Tensor::uniform({2, 3, 40, 57}, rng, 0.f, 1.f);
  const EncoderInference encoder(p, config);
  const Tensor both = encoder(x);
  for (int64_t n = 0; n < 2; ++n)
    CHECK(relative_diff(both.slice(0, n, n + 1).contiguous(), encoder(x.slice(0, n, n + 1).contiguous())) == 0.f);
}

TEST_CASE("inference decoder: equals the autograd decoder; strips equal the whole image (nearest, bilinear)") {
  for (auto mode : {gs::models::UpsampleMode::nearest, gs::models::UpsampleMode::bilinear}) {
    ModelConfig config;
    config.upsample = mode;
    const gs::nn::Module p = random_params(config, 5);
    Rng rng(6);
    const Tensor t = gs::relu(Tensor::randn({1, 512, 23, 7}, rng));  // -> 184 x 56
    const DecoderInference decoder(p, config);
    const Tensor whole = decoder(t);
    CHECK(whole.shape() == Shape{1, 3, 184, 56});
    MESSAGE("decoder: inference vs autograd layers max rel diff " << relative_diff(whole, graph_decode(p, config, t)));
    CHECK(relative_diff(whole, graph_decode(p, config, t)) < 1e-6f);
    // 8 * 56 * 14 pixels: strips of 14 - 2 * 5 = 4 delivered rows, 6 strips.
    const Tensor tiled = decoder(t, 8 * 56 * 14);
    MESSAGE("decoder: tiled vs whole max rel diff " << relative_diff(tiled, whole));
    CHECK(relative_diff(tiled, whole) < 1e-6f);
  }
}

TEST_CASE("strips: cover every row once, halos clamp at the image's edges") {
  const auto strips = gs::models::plan_strips(26, 5, 4);
  REQUIRE(strips.size() == 6);
  int64_t next = 0;
  for (const auto& s : strips) {
    CHECK(s.begin == next);
    CHECK(s.end - s.begin <= 5);
    CHECK(s.halo_begin == std::max<int64_t>(0, s.begin - 4));
    CHECK(s.halo_end == std::min<int64_t>(26, s.end + 4));
    next = s.end;
  }
  CHECK(next == 26);
  CHECK(gs::models::plan_strips(3, 100, 4).size() == 1);
  CHECK_THROWS_AS(gs::models::plan_strips(0, 5, 4), std::invalid_argument);
  CHECK(gs::models::strip_rows(1 << 20, 4, 1 << 21) == 1);  // never zero rows
}
