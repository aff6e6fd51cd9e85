#include "nn/adain_blend.h"

#include <doctest/doctest.h>

#include "autograd/ops.h"

using gs::Rng;
using gs::Tensor;
using gs::ag::Variable;

namespace {

// The graph stage's autograd tail (models/graph_stage.cpp), which adain_blend replaces at inference.
Tensor chain(const Tensor& f2, const Tensor& fc, const Tensor& fs, float alpha, float mix) {
  Variable t = gs::nn::adain_mix(Variable(f2), Variable(fs), 1.f);
  if (alpha == 1.f) return t.value();
  const Variable rest = mix == 0.f ? Variable(fc) : gs::nn::adain_mix(Variable(fc), Variable(fs), mix);
  return gs::ag::add(gs::ag::mul_scalar(t, alpha), gs::ag::mul_scalar(rest, 1.f - alpha)).value();
}

}  // namespace

TEST_CASE("nn adain_blend: the autograd chain's result in one pass") {
  Rng rng(31);
  const Tensor f2 = Tensor::uniform({2, 3, 7, 9}, rng, -1, 3), fc = Tensor::randn({2, 3, 7, 9}, rng, 2.f),
               fs = Tensor::uniform({2, 3, 5, 4}, rng, 0, 4);
  for (const auto& [alpha, mix] : {std::pair{1.f, 0.f}, {0.6f, 0.5f}, {0.6f, 0.f}, {0.f, 1.f}, {0.3f, 1.f}}) {
    CAPTURE(alpha);
    CAPTURE(mix);
    // Values of a few units, statistics in double here and in float there: a few float ulps apart.
    CHECK(gs::max_abs_diff(gs::nn::adain_blend(f2, fc, fs, alpha, mix), chain(f2, fc, fs, alpha, mix)) < 1e-5f);
  }
}

TEST_CASE("nn adain_blend: shapes and controls are checked") {
  const Tensor a({1, 2, 3, 3}), b({1, 2, 3, 4}), s({1, 3, 3, 3});
  CHECK_THROWS_WITH_AS(gs::nn::adain_blend(a, b, a, 1.f, 0.f), doctest::Contains("[1, 2, 3, 4]"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(gs::nn::adain_blend(a, a, s, 1.f, 0.f), doctest::Contains("[1, 3, 3, 3]"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(gs::nn::adain_blend(a, a, a, 1.5f, 0.f), doctest::Contains("alpha"), std::invalid_argument);
}
