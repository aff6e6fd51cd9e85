#include "eval/metrics.h"

#include <doctest/doctest.h>

#include "autograd/variable.h"
#include "models/encoder.h"
#include "nn/losses.h"
#include "train/tiny_training.h"

using namespace gs;

namespace {
Tensor random_image(uint64_t seed, int64_t H, int64_t W) {
  Rng rng(seed);
  return Tensor::uniform({3, H, W}, rng, 0.f, 1.f);
}
}  // namespace

TEST_CASE("metrics: an output identical to content and style measures 0 (SSIM 1)") {
  const models::Stylizer model = test::tiny_model();
  const Tensor img = random_image(1, 40, 48);
  const eval::Features f = eval::FeatureEncoder(model.params(), model.config())(img);
  CHECK(f.relu4_1.shape() == Shape{8, 5, 6});
  CHECK(f.relu3_1.shape() == Shape{6, 10, 12});
  CHECK(f.grey.shape() == Shape{40, 48});
  const eval::Metrics m = eval::measure(f, f, f);
  CHECK(m.content_relu4_1 == 0.0);
  CHECK(m.content_relu3_1 == 0.0);
  CHECK(m.style == 0.0);
  CHECK(m.ssim == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(m.local_relu3_1 == doctest::Approx(0.0).epsilon(1e-5));
  CHECK(m.local_relu4_1 == doctest::Approx(0.0).epsilon(1e-5));
}

TEST_CASE("metrics: different images give positive losses; the style loss is MODEL.md 4's") {
  const models::Stylizer model = test::tiny_model();
  const Tensor a = random_image(1, 40, 48), b = random_image(2, 40, 48), s = random_image(3, 32, 56);
  const eval::FeatureEncoder encoder(model.params(), model.config());
  const eval::Features fa = encoder(a), fb = encoder(b), fs = encoder(s);
  const eval::Metrics m = eval::measure(fa, fb, fs);
  CHECK(m.content_relu4_1 > 0);
  CHECK(m.content_relu3_1 > 0);
  CHECK(m.ssim < 0.5);  // independent noise
  // The same loss as training's, from the full feature maps.
  ag::NoGradGuard no_grad;
  const auto oa = models::encode(model.params(), model.config(), ag::Variable(a.unsqueeze(0)), {1, 2, 3, 4});
  const auto os = models::encode(model.params(), model.config(), ag::Variable(s.unsqueeze(0)), {1, 2, 3, 4});
  CHECK(m.style == doctest::Approx(nn::style_loss(oa, os).value().item()).epsilon(1e-5));
  CHECK(m.style > 0);
  // And the content loss is the mean squared feature difference.
  const auto ob = models::encode(model.params(), model.config(), ag::Variable(b.unsqueeze(0)), {4});
  CHECK(m.content_relu4_1 == doctest::Approx(nn::content_loss(oa[3], ob[0]).value().item()).epsilon(1e-5));
}

TEST_CASE("metrics: outputs of another size than the content are refused") {
  const models::Stylizer model = test::tiny_model();
  const eval::FeatureEncoder encoder(model.params(), model.config());
  const eval::Features a = encoder(random_image(1, 40, 48)), b = encoder(random_image(1, 48, 40));
  CHECK_THROWS_WITH_AS(eval::measure(a, b, b), doctest::Contains("content image's size"), std::invalid_argument);
}

TEST_CASE("as_saved: clamped and rounded to 8 bits like a saved image") {
  const Tensor x({4}, {-0.5f, 0.5f, 100.f / 255.f + 0.4f / 255.f, 2.f});
  const Tensor y = eval::as_saved(x);
  CHECK(y.data()[0] == 0.f);
  CHECK(y.data()[1] == 128.f / 255.f);  // 127.5 rounds half to even
  CHECK(y.data()[2] == 100.f / 255.f);
  CHECK(y.data()[3] == 1.f);
}
