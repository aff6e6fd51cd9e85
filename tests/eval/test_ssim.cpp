#include "eval/ssim.h"

#include <doctest/doctest.h>

#include <cmath>

using namespace gs;

namespace {
Tensor grey_from(int64_t H, int64_t W, float (*f)(int64_t y, int64_t x)) {
  Tensor t = Tensor::empty({H, W});
  for (int64_t y = 0; y < H; ++y)
    for (int64_t x = 0; x < W; ++x) t.data()[y * W + x] = f(y, x);
  return t;
}
float pattern_a(int64_t y, int64_t x) { return static_cast<float>((3 * x + 5 * y) % 7) / 6.f; }
float pattern_b(int64_t y, int64_t x) {
  return 0.6f * pattern_a(y, x) + 0.2f + 0.1f * static_cast<float>((x * y) % 5) / 4.f;
}
}  // namespace

TEST_CASE("ssim: identical images give 1") {
  const Tensor a = grey_from(20, 23, pattern_a);
  CHECK(eval::ssim(a, a) == doctest::Approx(1.0).epsilon(1e-12));
}

TEST_CASE("ssim: constant images follow the luminance term alone") {
  // Zero variances and covariance: SSIM = (2xy + C1) / (x^2 + y^2 + C1) with C1 = 1e-4.
  const Tensor a = Tensor::full({12, 12}, 0.5f), b = Tensor::full({12, 12}, 0.25f);
  CHECK(eval::ssim(a, b) == doctest::Approx((0.25 + 1e-4) / (0.3125 + 1e-4)).epsilon(1e-9));
}

TEST_CASE("ssim: a patterned pair against an independent computation") {
  // Pure-Python reference (the window summed directly in 2-D, not separably), run once:
  //   H, W = 14, 16; a[y][x] = ((3x + 5y) % 7) / 6; b = 0.6 a + 0.2 + 0.1 ((x y) % 5) / 4
  //   g = exp(-(i-5)^2 / (2 * 1.5^2)), normalised; w2 = outer(g, g); C1, C2 = 0.01^2, 0.03^2
  //   mean over the 4 x 6 valid positions of (2 mx my + C1)(2 cov + C2) / ((mx^2 + my^2 + C1)(vx + vy + C2))
  //   -> 0.8643196348044154
  const Tensor a = grey_from(14, 16, pattern_a), b = grey_from(14, 16, pattern_b);
  // float32 inputs (the reference is double throughout): agreement to ~1e-7.
  CHECK(eval::ssim(a, b) == doctest::Approx(0.8643196348044154).epsilon(1e-6));
  CHECK(eval::ssim(b, a) == doctest::Approx(eval::ssim(a, b)).epsilon(1e-12));
}

TEST_CASE("ssim: bad shapes are refused") {
  CHECK_THROWS_WITH_AS(eval::ssim(Tensor::zeros({12, 12}), Tensor::zeros({12, 13})), doctest::Contains("one size"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(eval::ssim(Tensor::zeros({10, 12}), Tensor::zeros({10, 12})), doctest::Contains("11x11"),
                       std::invalid_argument);
}

TEST_CASE("to_grey: BT.601 luma of RGB") {
  Tensor rgb = Tensor::empty({3, 1, 2});
  const float v[] = {1, 0.2f, 0, 0.4f, 0, 0.6f};  // pixel 0 = (1, 0, 0), pixel 1 = (0.2, 0.4, 0.6)
  std::copy(v, v + 6, rgb.data());
  const Tensor g = eval::to_grey(rgb.unsqueeze(0));
  REQUIRE(g.shape() == Shape{1, 2});
  CHECK(g.data()[0] == doctest::Approx(0.299));
  CHECK(g.data()[1] == doctest::Approx(0.299 * 0.2 + 0.587 * 0.4 + 0.114 * 0.6));
}
