// bf16 maps (nn/bf16_maps.h) and the bf16 InferenceConv2d: rounding, the layers that look at values
// against their fp32 versions on the rounded values, and a bf16 convolution within the error that
// rounding its inputs allows.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "nn/bf16_maps.h"
#include "nn/nhwc_layers.h"
#include "nn/onednn_conv.h"
#include "tensor/ops.h"

using gs::Rng;
using gs::Shape;
using gs::Tensor;
namespace nn = gs::nn;

namespace {
Tensor absval(const Tensor& x) { return gs::add(gs::relu(x), gs::relu(gs::neg(x))); }
// x rounded to bf16 and back: the values a bf16 map of x holds.
Tensor rounded(const Tensor& x) { return nn::from_bf16_nhwc(nn::to_bf16_nhwc(x)); }
}  // namespace

TEST_CASE("bf16: rounding to nearest, ties to even; NaN and infinity kept") {
  CHECK(nn::float_to_bf16(1.f) == 0x3f80);
  CHECK(nn::bf16_to_float(0x3f80) == 1.f);
  const float ulp = std::ldexp(1.f, -7);  // bf16's spacing in [1, 2)
  CHECK(nn::bf16_to_float(nn::float_to_bf16(1.f + 0.49f * ulp)) == 1.f);
  CHECK(nn::bf16_to_float(nn::float_to_bf16(1.f + 0.51f * ulp)) == 1.f + ulp);
  CHECK(nn::bf16_to_float(nn::float_to_bf16(1.f + 0.5f * ulp)) == 1.f);            // tie: to even (1.0)
  CHECK(nn::bf16_to_float(nn::float_to_bf16(1.f + 1.5f * ulp)) == 1.f + 2 * ulp);  // tie: to even
  CHECK(std::isnan(nn::bf16_to_float(nn::float_to_bf16(std::numeric_limits<float>::quiet_NaN()))));
  CHECK(nn::bf16_to_float(nn::float_to_bf16(-std::numeric_limits<float>::infinity())) ==
        -std::numeric_limits<float>::infinity());
}

TEST_CASE("bf16 maps: packing round trip, and pool / upsample equal fp32's on the rounded values") {
  Rng rng(4);
  const Tensor x = Tensor::randn({2, 7, 5, 6}, rng);  // [N,H,W,C], odd sizes for the ceil pool
  const Tensor packed = nn::to_bf16_nhwc(x);
  CHECK(packed.shape() == Shape{2, 7, 5, 3});
  const Tensor r = nn::from_bf16_nhwc(packed);
  CHECK(gs::max_abs_diff(r, x) <= std::ldexp(gs::max(absval(x), {}).item(), -8));  // half an ulp, relative
  CHECK(gs::max_abs_diff(rounded(r), r) == 0.f);                                   // bf16 values stay
  // The maximum of bf16 values is one of them: exact.
  CHECK(gs::max_abs_diff(nn::from_bf16_nhwc(nn::max_pool2x2_ceil_bf16_nhwc(packed)), nn::max_pool2x2_ceil_nhwc(r)) ==
        0.f);
  // Nearest is a copy; bilinear computes in fp32 and rounds once (within half a bf16 ulp).
  CHECK(gs::max_abs_diff(nn::from_bf16_nhwc(nn::upsample2x_bf16_nhwc(packed, nn::Upsample::nearest)),
                         nn::upsample2x_nhwc(r, nn::Upsample::nearest)) == 0.f);
  const Tensor bilinear = nn::upsample2x_nhwc(r, nn::Upsample::bilinear);
  CHECK(gs::max_abs_diff(nn::from_bf16_nhwc(nn::upsample2x_bf16_nhwc(packed, nn::Upsample::bilinear)),
                         rounded(bilinear)) == 0.f);
  // Reflection padding copies whole elements: the packed map pads as the values do.
  CHECK(gs::max_abs_diff(nn::from_bf16_nhwc(nn::reflection_pad_nhwc(packed, 1)), nn::reflection_pad_nhwc(r, 1)) == 0.f);
  CHECK_THROWS_AS(nn::to_bf16_nhwc(Tensor::zeros({1, 2, 2, 3})), std::invalid_argument);  // odd channels
}

TEST_CASE("bf16: InferenceConv2d within the error of rounding its inputs and weights to bf16") {
  if (!nn::bf16_supported()) {
    MESSAGE("skipped: this CPU has no native bf16");
    return;
  }
  Rng rng(5);
  const Tensor x = Tensor::randn({1, 9, 11, 32}, rng);  // NHWC, 32 channels
  const Tensor w = Tensor::randn({48, 32, 3, 3}, rng, 0.1f), b = Tensor::randn({48}, rng, 0.1f);
  const nn::Conv2dParams p{1, 1};
  const Tensor want = nn::InferenceConv2d(w, b, p, true)(x);  // fp32
  // Each product of bf16-rounded operands is off by at most 2^-8 relative (two roundings of 2^-9),
  // and fp32 sums add far less: |error| <= 2^-7 * sum |x| |w| bounds it with a factor 2 to spare
  // (the ReLU does not increase a difference).
  const Tensor bound = gs::mul_scalar(nn::InferenceConv2d(absval(w), Tensor(), p)(absval(x)), std::ldexp(1.f, -7));
  for (bool dst_bf16 : {false, true}) {
    const nn::InferenceConv2d conv(w, b, p, true, {true, dst_bf16});
    const Tensor out = conv(nn::to_bf16_nhwc(x));
    CHECK(out.shape() == conv.out_shape({1, 9, 11, 16}));
    const Tensor got = dst_bf16 ? nn::from_bf16_nhwc(out) : out;
    REQUIRE(got.shape() == want.shape());
    // A bf16 output adds half an ulp of the value itself.
    const Tensor allowed = dst_bf16 ? gs::add(bound, gs::mul_scalar(absval(want), std::ldexp(1.f, -8))) : bound;
    CHECK(gs::max(gs::sub(absval(gs::sub(got, want)), allowed), {}).item() <= 0.f);
    CHECK(gs::max_abs_diff(got, want) > 0.f);  // bf16 did run (fp32 would be exact here)
  }
  CHECK_THROWS_AS(nn::InferenceConv2d(w, b, p, true, {false, true}), std::invalid_argument);
}
