// oneDNN convolution kernels against a naive direct convolution (double accumulation).
#include <doctest/doctest.h>

#include <algorithm>

#include <cmath>
#include <vector>

#include "nn/onednn_conv.h"

using gs::Rng;
using gs::Shape;
using gs::Tensor;
using gs::nn::Conv2dParams;

namespace {

struct ConvCase {
  int64_t n, ci, co, h, w, k;
  Conv2dParams p;
  bool bias;
};

// The direct formula in double: y[n,o,oy,ox] = b[o] + sum_{c,ky,kx} x[n,c,oy*s-p+ky,ox*s-p+kx] w[o,c,ky,kx].
// Alongside each result it keeps sum |term|, the scale of float32 rounding for that element.
struct Naive {
  std::vector<double> value, scale;
};

struct Dims {
  int64_t n, ci, co, h, w, k, ho, wo, s, p;
  explicit Dims(const ConvCase& c)
      : n(c.n),
        ci(c.ci),
        co(c.co),
        h(c.h),
        w(c.w),
        k(c.k),
        ho(gs::nn::conv2d_out_size(c.h, c.k, c.p)),
        wo(gs::nn::conv2d_out_size(c.w, c.k, c.p)),
        s(c.p.stride),
        p(c.p.pad) {}
  int64_t xi(int64_t b, int64_t c, int64_t y, int64_t x) const { return ((b * ci + c) * h + y) * w + x; }
  int64_t wi(int64_t o, int64_t c, int64_t y, int64_t x) const { return ((o * ci + c) * k + y) * k + x; }
  int64_t yi(int64_t b, int64_t o, int64_t y, int64_t x) const { return ((b * co + o) * ho + y) * wo + x; }
  // Calls f(x index, w index, y index) for every term of the convolution that lies inside the input.
  template <class F>
  void for_each_term(F f) const {
    for (int64_t b = 0; b < n; ++b)
      for (int64_t o = 0; o < co; ++o)
        for (int64_t oy = 0; oy < ho; ++oy)
          for (int64_t ox = 0; ox < wo; ++ox)
            for (int64_t c = 0; c < ci; ++c)
              for (int64_t ky = 0; ky < k; ++ky)
                for (int64_t kx = 0; kx < k; ++kx) {
                  int64_t iy = oy * s - p + ky, ix = ox * s - p + kx;
                  if (iy >= 0 && iy < h && ix >= 0 && ix < w) f(xi(b, c, iy, ix), wi(o, c, ky, kx), yi(b, o, oy, ox));
                }
  }
};

Naive naive_forward(const Dims& d, const std::vector<float>& x, const std::vector<float>& w,
                    const std::vector<float>* b) {
  Naive r{std::vector<double>(d.n * d.co * d.ho * d.wo, 0.0), std::vector<double>(d.n * d.co * d.ho * d.wo, 0.0)};
  d.for_each_term([&](int64_t xi, int64_t wi, int64_t yi) {
    double t = double(x[xi]) * double(w[wi]);
    r.value[yi] += t;
    r.scale[yi] += std::abs(t);
  });
  if (b)
    for (int64_t i = 0; i < (int64_t)r.value.size(); ++i) {
      double bo = (*b)[(i / (d.ho * d.wo)) % d.co];
      r.value[i] += bo;
      r.scale[i] += std::abs(bo);
    }
  return r;
}

// The adjoints: gx = sum over terms of gy * w, gw = sum over terms of gy * x.
Naive naive_backward_data(const Dims& d, const std::vector<float>& gy, const std::vector<float>& w) {
  Naive r{std::vector<double>(d.n * d.ci * d.h * d.w, 0.0), std::vector<double>(d.n * d.ci * d.h * d.w, 0.0)};
  d.for_each_term([&](int64_t xi, int64_t wi, int64_t yi) {
    double t = double(gy[yi]) * double(w[wi]);
    r.value[xi] += t;
    r.scale[xi] += std::abs(t);
  });
  return r;
}

Naive naive_backward_weights(const Dims& d, const std::vector<float>& x, const std::vector<float>& gy) {
  Naive r{std::vector<double>(d.co * d.ci * d.k * d.k, 0.0), std::vector<double>(d.co * d.ci * d.k * d.k, 0.0)};
  d.for_each_term([&](int64_t xi, int64_t wi, int64_t yi) {
    double t = double(gy[yi]) * double(x[xi]);
    r.value[wi] += t;
    r.scale[wi] += std::abs(t);
  });
  return r;
}

Naive naive_backward_bias(const Dims& d, const std::vector<float>& gy) {
  Naive r{std::vector<double>(d.co, 0.0), std::vector<double>(d.co, 0.0)};
  for (int64_t i = 0; i < (int64_t)gy.size(); ++i) {
    r.value[(i / (d.ho * d.wo)) % d.co] += gy[i];
    r.scale[(i / (d.ho * d.wo)) % d.co] += std::abs(gy[i]);
  }
  return r;
}

// float32 sums of m terms in any order are within about m * 6e-8 of the exact sum relative to
// sum |term| (worst case); blocked kernels do much better. 1e-5 (about 170 float32 ulps) is safe for
// the sizes here and still far below any indexing mistake, which is off by O(1) relative.
constexpr double kRelTol = 1e-5;

double check_close(const Tensor& ours, const Naive& ref, const char* what) {
  std::vector<float> v = ours.to_vector();
  REQUIRE(v.size() == ref.value.size());
  double worst = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    double err = std::abs(double(v[i]) - ref.value[i]);
    worst = std::max(worst, err / (ref.scale[i] + 1e-30));
    if (err > kRelTol * ref.scale[i] + 1e-30) {
      FAIL_CHECK(what << " element " << i << ": " << v[i] << " vs " << ref.value[i]);
      break;
    }
  }
  return worst;
}

const std::vector<ConvCase> kCases = {
    {2, 3, 5, 6, 7, 1, {1, 0}, true},      // 1x1 (conv0, GAT projections)
    {1, 4, 6, 9, 8, 3, {1, 1}, false},     // 3x3 zero pad 1, odd sizes
    {2, 3, 4, 7, 6, 3, {1, 0}, true},      // 3x3 valid (after reflection padding)
    {1, 3, 4, 9, 8, 3, {2, 1}, true},      // stride 2, pad 1
    {2, 5, 3, 9, 9, 3, {2, 0}, false},     // stride 2, pad 0
    {1, 2, 3, 8, 9, 5, {1, 2}, true},      // 5x5
    {1, 3, 64, 10, 9, 3, {1, 0}, true},    // the first VGG layer's channel counts
    {2, 32, 48, 10, 11, 3, {1, 1}, true},  // enough channels for blocked layouts (reorders)
};

}  // namespace

TEST_CASE("onednn conv2d: forward, backward-data and backward-weights match the naive convolution") {
  Rng rng(7);
  for (const ConvCase& c : kCases) {
    CAPTURE(c.n);
    CAPTURE(c.ci);
    CAPTURE(c.co);
    CAPTURE(c.h);
    CAPTURE(c.w);
    CAPTURE(c.k);
    CAPTURE(c.p.stride);
    CAPTURE(c.p.pad);
    CAPTURE(c.bias);
    Dims d(c);
    Tensor x = Tensor::randn({c.n, c.ci, c.h, c.w}, rng);
    Tensor w = Tensor::randn({c.co, c.ci, c.k, c.k}, rng, 0.3f);
    Tensor b = c.bias ? Tensor::randn({c.co}, rng) : Tensor();
    Tensor gy = Tensor::randn({c.n, c.co, d.ho, d.wo}, rng);
    std::vector<float> xv = x.to_vector(), wv = w.to_vector(), gyv = gy.to_vector();
    std::vector<float> bv = c.bias ? b.to_vector() : std::vector<float>{};

    Naive ref = naive_forward(d, xv, wv, c.bias ? &bv : nullptr);
    for (auto pass : {gs::nn::ConvPass::inference, gs::nn::ConvPass::training}) {
      Tensor y = gs::nn::conv2d_forward(x, w, b, c.p, pass);
      CHECK(y.shape() == Shape{c.n, c.co, d.ho, d.wo});
      check_close(y, ref, "forward");
    }
    Tensor y_relu = gs::nn::conv2d_forward(x, w, b, c.p, gs::nn::ConvPass::inference, true);
    std::vector<float> yr = y_relu.to_vector();
    for (size_t i = 0; i < yr.size(); ++i) ref.value[i] = std::max(ref.value[i], 0.0);
    check_close(y_relu, ref, "forward + relu");

    Tensor gx = gs::nn::conv2d_backward_data(gy, w, x.shape(), c.p);
    check_close(gx, naive_backward_data(d, gyv, wv), "backward data");
    auto gw = gs::nn::conv2d_backward_weights(x, gy, w.shape(), c.bias, c.p);
    check_close(gw.w, naive_backward_weights(d, xv, gyv), "backward weights");
    CHECK(gw.bias.defined() == c.bias);
    if (c.bias) check_close(gw.bias, naive_backward_bias(d, gyv), "backward bias");
  }
}

TEST_CASE("onednn conv2d: inputs may be strided views") {
  Rng rng(3);
  Tensor big = Tensor::randn({1, 6, 8, 8}, rng);
  Tensor x = big.slice(1, 1, 4).slice(3, 1, 7);  // a window of channels and columns
  REQUIRE_FALSE(x.is_contiguous());
  Tensor w = Tensor::randn({4, 3, 3, 3}, rng);
  Tensor y = gs::nn::conv2d_forward(x, w, Tensor(), {1, 1});
  Tensor y_ref = gs::nn::conv2d_forward(x.contiguous(), w, Tensor(), {1, 1});
  CHECK(y.to_vector() == y_ref.to_vector());
}

TEST_CASE("onednn conv2d: primitives are cached per shape") {
  Rng rng(5);
  Tensor x = Tensor::randn({1, 5, 7, 7}, rng), w = Tensor::randn({2, 5, 3, 3}, rng), b = Tensor::randn({2}, rng);
  gs::nn::conv2d_forward(x, w, b, {1, 1});
  const size_t after_first = gs::nn::conv2d_cache_size();
  for (int i = 0; i < 3; ++i) gs::nn::conv2d_forward(x, w, b, {1, 1});
  CHECK(gs::nn::conv2d_cache_size() == after_first);
  gs::nn::conv2d_forward(x, w, b, {2, 1});  // another stride is another primitive
  // ... unless the cache is full (512 plans, after the whole suite's shapes): then one is evicted for it.
  CHECK(gs::nn::conv2d_cache_size() == std::min<size_t>(after_first + 1, 512));
}

TEST_CASE("onednn conv2d: shape errors name the shapes") {
  Tensor x({1, 3, 5, 5}), w({4, 2, 3, 3});
  CHECK_THROWS_WITH_AS(gs::nn::conv2d_forward(x, w, Tensor(), {}), doctest::Contains("x [1, 3, 5, 5], w [4, 2, 3, 3]"),
                       std::invalid_argument);
  Tensor w_ok({4, 3, 3, 3});
  CHECK_THROWS_WITH_AS(gs::nn::conv2d_forward(x, w_ok, Tensor({3}), {}), doctest::Contains("bias [3]"),
                       std::invalid_argument);
  CHECK_THROWS_AS(gs::nn::conv2d_forward(Tensor({1, 3, 2, 2}), w_ok, Tensor(), {}), std::invalid_argument);
  CHECK_THROWS_WITH_AS(gs::nn::conv2d_backward_data(Tensor({1, 4, 2, 2}), w_ok, x.shape(), {}),
                       doctest::Contains("[1, 4, 2, 2]"), std::invalid_argument);
}

TEST_CASE("onednn conv2d: an empty batch gives empty results") {
  Tensor x({0, 3, 5, 5}), w({4, 3, 3, 3});
  CHECK(gs::nn::conv2d_forward(x, w, Tensor(), {1, 1}).shape() == Shape{0, 4, 5, 5});
  CHECK(gs::nn::conv2d_backward_weights(x, Tensor({0, 4, 5, 5}), w.shape(), true, {1, 1}).w.to_vector() ==
        std::vector<float>(4 * 3 * 9, 0.f));
}
