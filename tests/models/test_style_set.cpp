// The graph stage with several styles (models/style_set.h) against the one-style stage, on the tiny
// model with random attention vectors (so that the attention is not uniform) and random features.
#include "models/style_set.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "nn/statistics.h"
#include "tensor/ops.h"
#include "train/tiny_training.h"

namespace {

struct Setup {
  gs::models::Stylizer model = gs::test::tiny_model(3);
  gs::Tensor fc, fa, fb;
  gs::models::GraphOptions o;
  Setup() {
    gs::Rng rng(11);
    for (const char* name : {"inter.ac", "inter.as", "intra.aq", "intra.ak"}) {
      gs::Tensor v = model.params().get(name).value();
      v.copy_from(gs::Tensor::randn(v.shape(), rng, 2.f));
    }
    fc = gs::Tensor::randn({1, 8, 7, 9}, rng);
    fa = gs::Tensor::randn({1, 8, 6, 6}, rng);
    fb = gs::add(gs::Tensor::randn({1, 8, 8, 5}, rng), gs::Tensor::full({1, 8, 8, 5}, 0.5f));
    o.p = 3;
    o.k = 3;
    o.kc = 2;
  }
  gs::Tensor single(const gs::Tensor& fs) const {
    return gs::models::graph_stage(model.params(), model.config(), gs::ag::Variable(fc), gs::ag::Variable(fs), o).value();
  }
  gs::Tensor set(const gs::models::StyleSetInput& in, bool graph = true) const {
    return gs::models::style_set_stage(model.params(), model.config(), fc, in, o, graph);
  }
};

}  // namespace

TEST_CASE("style set: weights 1,0 and 0,1 are the single styles; 0.5,0.5 neither (GNN, both aggregators, alpha)") {
  Setup s;
  for (auto aggregator : {gs::graph::Aggregator::gat, gs::graph::Aggregator::mean})
    for (float alpha : {1.f, 0.4f}) {
      CAPTURE(alpha);
      s.o.aggregator = aggregator;
      s.o.alpha = alpha;
      s.o.mix = alpha == 1.f ? 0.f : 0.5f;
      const gs::Tensor a = s.single(s.fa), b = s.single(s.fb);
      gs::models::StyleSetInput in{{s.fa, s.fb}, {{1.f, 0.f}}, {}};
      CHECK(gs::max_abs_diff(s.set(in), a) < 1e-5f);
      in.regions = {{0.f, 2.f}};
      CHECK(gs::max_abs_diff(s.set(in), b) < 1e-5f);
      in.regions = {{0.5f, 0.5f}};
      const gs::Tensor half = s.set(in);
      CHECK(gs::max_abs_diff(half, a) > 0.05f);
      CHECK(gs::max_abs_diff(half, b) > 0.05f);
      in.regions = {{0.9f, 0.1f}};  // closer to a than the even blend is
      CHECK(gs::max_abs_diff(s.set(in), a) < gs::max_abs_diff(half, a));
    }
}

TEST_CASE("style set: AdaIN blends are pytorch-AdaIN's interpolation sum_s w_s AdaIN(Fc, Fs_s)") {
  Setup s;
  const gs::ag::Variable fc(s.fc);
  const gs::Tensor a = gs::nn::adain(fc, gs::ag::Variable(s.fa)).value(), b = gs::nn::adain(fc, gs::ag::Variable(s.fb)).value();
  const gs::Tensor expected = gs::add(gs::mul_scalar(a, 0.7f), gs::mul_scalar(b, 0.3f));
  const gs::models::StyleSetInput in{{s.fa, s.fb}, {{0.7f, 0.3f}}, {}};
  CHECK(gs::max_abs_diff(s.set(in, false), expected) < 1e-4f);
}

TEST_CASE("style set: regions take edges and statistics from their own style only") {
  Setup s;
  const int64_t H = 7, W = 9;
  // One region covering everything is that region's style.
  gs::models::StyleSetInput in{{s.fa, s.fb}, {{1.f, 0.f}, {0.f, 1.f}, {0.f, 0.f}}, std::vector<int32_t>(H * W, 1)};
  CHECK(gs::max_abs_diff(s.set(in), s.single(s.fb)) < 1e-5f);
  // Left columns style a, right columns style b: the left edge column far from the border is a's
  // single-style result up to the region's own intra edges and statistics; the right one b's.
  for (int64_t y = 0; y < H; ++y)
    for (int64_t x = 0; x < W; ++x) in.pixel_region[y * W + x] = x < 4 ? 0 : 1;
  const gs::Tensor split = s.set(in);
  const gs::Tensor a = s.single(s.fa), b = s.single(s.fb);
  auto column_diff = [&](const gs::Tensor& t, int64_t x) {
    float m = 0;
    for (int64_t c = 0; c < 8; ++c)
      for (int64_t y = 0; y < H; ++y) m = std::max(m, std::abs(split.at({0, c, y, x}) - t.at({0, c, y, x})));
    return m;
  };
  // The region's AdaIN: its own mean and deviation over its pixels are the style's.
  for (int64_t c = 0; c < 8; ++c) {
    double sum = 0, mean_b = 0;
    for (int64_t y = 0; y < H; ++y)
      for (int64_t x = 4; x < W; ++x) sum += split.at({0, c, y, x});
    for (int64_t i = 0; i < 40; ++i) mean_b += s.fb.data()[c * 40 + i] / 40.0;
    CHECK(sum / (H * 5) == doctest::Approx(mean_b).epsilon(1e-4));
  }
  CHECK(column_diff(b, 8) < column_diff(a, 8));
  CHECK(column_diff(a, 0) < column_diff(b, 0));
  // A region without a style: its nodes' messages are their own patches (t = F2 there, from Fc).
  in.regions = {{0.f, 0.f}, {0.f, 1.f}};
  in.pixel_region.assign(H * W, 0);
  s.o.kc = 0;
  CHECK(gs::max_abs_diff(s.set(in), s.fc) < 1e-5f);
}
