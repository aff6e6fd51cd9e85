// The channels-last inference layers against the NCHW layers they stand in for: same values,
// bit for bit (same arithmetic, same oneDNN kernels), at odd sizes.
#include <doctest/doctest.h>

#include "nn/conv2d.h"
#include "nn/nhwc_layers.h"
#include "nn/onednn_conv.h"
#include "tensor/ops.h"

using gs::Rng;
using gs::Shape;
using gs::Tensor;
namespace nn = gs::nn;

namespace {
// Runs an NCHW layer under no-grad and returns its value.
template <class F>
Tensor nchw(F f, const Tensor& x) {
  gs::ag::NoGradGuard no_grad;
  return f(gs::ag::Variable(x)).value();
}
}  // namespace

TEST_CASE("nhwc: to_nhwc and to_nchw are inverse transposes") {
  Rng rng(1);
  const Tensor x = Tensor::randn({2, 37, 5, 41}, rng);
  const Tensor y = nn::to_nhwc(x);
  CHECK(y.shape() == Shape{2, 5, 41, 37});
  CHECK(y.at({1, 3, 40, 36}) == x.at({1, 36, 3, 40}));
  CHECK(gs::max_abs_diff(nn::to_nchw(y), x) == 0.f);
  CHECK(gs::max_abs_diff(nn::to_nhwc(x.permute({0, 1, 3, 2})), y.permute({0, 2, 1, 3}).contiguous()) == 0.f);
}

TEST_CASE("nhwc: reflection pad, max-pool and upsampling equal the NCHW layers") {
  Rng rng(2);
  for (const Shape& shape : {Shape{1, 3, 7, 9}, Shape{2, 16, 6, 5}}) {
    const Tensor x = Tensor::randn(shape, rng);
    const Tensor xh = nn::to_nhwc(x);
    for (int pad : {1, 2})
      CHECK(gs::max_abs_diff(nn::to_nchw(nn::reflection_pad_nhwc(xh, pad)),
                             nchw([&](const gs::ag::Variable& v) { return nn::reflection_pad2d(v, pad); }, x)) == 0.f);
    CHECK(gs::max_abs_diff(nn::to_nchw(nn::max_pool2x2_ceil_nhwc(xh)), nchw(nn::max_pool2x2_ceil, x)) == 0.f);
    for (nn::Upsample mode : {nn::Upsample::nearest, nn::Upsample::bilinear})
      CHECK(gs::max_abs_diff(nn::to_nchw(nn::upsample2x_nhwc(xh, mode)),
                             nchw([&](const gs::ag::Variable& v) { return nn::upsample2x(v, mode); }, x)) == 0.f);
  }
  CHECK_THROWS_AS(nn::reflection_pad_nhwc(Tensor::zeros({1, 1, 4, 3}), 1), std::invalid_argument);  // W = 1 < 2
  CHECK_THROWS_AS(nn::max_pool2x2_ceil_nhwc(Tensor::zeros({4, 4, 3})), std::invalid_argument);
}

TEST_CASE("nhwc: InferenceConv2d equals conv2d_forward (zero pad, ReLU, no bias, reused weights)") {
  Rng rng(3);
  const Tensor x = Tensor::randn({1, 19, 11, 13}, rng);
  for (int pad : {0, 1})
    for (bool relu : {false, true})
      for (bool bias : {false, true}) {
        const Tensor w = Tensor::randn({24, 19, 3, 3}, rng, 0.2f);
        const Tensor b = bias ? Tensor::randn({24}, rng) : Tensor();
        const nn::InferenceConv2d conv(w, b, {1, pad}, relu);
        const Tensor want = nn::conv2d_forward(x, w, b, {1, pad}, nn::ConvPass::inference, relu);
        CHECK(gs::max_abs_diff(nn::to_nchw(conv(nn::to_nhwc(x))), want) == 0.f);
        // A second map of another size reuses the laid-out weights (or lays them out anew if the
        // primitive for that size asks for another layout).
        const Tensor x2 = Tensor::randn({1, 19, 6, 29}, rng);
        CHECK(gs::max_abs_diff(nn::to_nchw(conv(nn::to_nhwc(x2))),
                               nn::conv2d_forward(x2, w, b, {1, pad}, nn::ConvPass::inference, relu)) == 0.f);
      }
  const nn::InferenceConv2d conv(Tensor::zeros({4, 3, 3, 3}), Tensor(), {1, 0}, false);
  CHECK_THROWS_AS(conv(Tensor::zeros({1, 8, 8, 5})), std::invalid_argument);                 // 5 channels, w has 3
  CHECK_THROWS_AS(conv(Tensor::zeros({1, 8, 8, 3}).slice(2, 0, 4)), std::invalid_argument);  // not contiguous
}

TEST_CASE("nhwc: kernels write into a given buffer view; a wrong output shape is an error") {
  Rng rng(4);
  const Tensor x = nn::to_nhwc(Tensor::randn({1, 8, 9, 7}, rng));
  Tensor buffer = Tensor::empty({4096});
  const Tensor padded = nn::reflection_pad_nhwc(x, 1, buffer.slice(0, 0, 11 * 9 * 8).view({1, 11, 9, 8}));
  CHECK(padded.shares_storage_with(buffer));
  CHECK(gs::max_abs_diff(padded, nn::reflection_pad_nhwc(x, 1)) == 0.f);
  const nn::InferenceConv2d conv(Tensor::randn({5, 8, 3, 3}, rng), Tensor::randn({5}, rng), {1, 0}, true);
  Tensor out = Tensor::empty({1, 9, 7, 5});
  CHECK(conv(padded, out).shares_storage_with(out));
  CHECK(gs::max_abs_diff(out, conv(padded)) == 0.f);
  CHECK_THROWS_AS(nn::max_pool2x2_ceil_nhwc(x, Tensor::empty({1, 4, 4, 8})), std::invalid_argument);  // needs 5 x 4
  CHECK_THROWS_AS(conv(padded, Tensor::empty({1, 9, 7, 4})), std::invalid_argument);
}
