// End to end with the real weights, against the PyTorch reference's outputs (fixtures/e2e).
#include "models/stylizer.h"

#include <doctest/doctest.h>

#include "e2e_fixture.h"

using gs::Tensor;
using gs::test::shared_file;

TEST_CASE("stylizer: relu4_1 of the real encoder matches PyTorch on chicago_256") {
  const std::string dir = shared_file(gs::test::kE2EDir);
  const std::string img = shared_file("fixtures/e2e/inputs/chicago_256.png");
  if (dir.empty() || img.empty() || shared_file("weights/vgg_normalised.pth").empty()) return;
  const gs::models::Stylizer model = gs::test::real_model();
  gs::ag::NoGradGuard no_grad;
  const Tensor fc = model.encode(gs::ag::Variable(gs::data::load_image(img).unsqueeze(0))).value();
  const Tensor ref = gs::test::load_parts(dir, "Fc", "Fc", 8);
  REQUIRE(fc.shape() == ref.shape());
  // relu4_1 values reach ~20; PyTorch's own float32 run differs from float64 by ~1e-5 here.
  const float diff = gs::max_abs_diff(fc, ref);
  MESSAGE("relu4_1 max abs diff " << diff << " (max value " << gs::max(ref, {}).item() << ")");
  CHECK(diff < 1e-3f);
}

TEST_CASE("stylizer: AdaIN on chicago x starry_night at 256 matches PyTorch (PSNR >= 40 dB)") {
  const std::string dir = shared_file(gs::test::kE2EDir);
  const std::string c = shared_file("fixtures/e2e/inputs/chicago_256.png");
  const std::string s = shared_file("fixtures/e2e/inputs/starry_night_256.png");
  if (dir.empty() || c.empty() || s.empty() || shared_file("weights/decoder.pth").empty()) return;
  const gs::models::Stylizer model = gs::test::real_model();
  const Tensor out = model.stylize_adain(gs::data::load_image(c).unsqueeze(0), gs::data::load_image(s).unsqueeze(0), 1.f);
  const Tensor ref = gs::test::load_parts(dir, "adain_output", "adain_output", 3);
  REQUIRE(out.shape() == ref.shape());
  const double db = gs::test::psnr(out, ref);
  MESSAGE("AdaIN 256: PSNR " << db << " dB, max abs diff " << gs::max_abs_diff(out, ref));
  CHECK(db >= 40.0);
  CHECK(gs::max_abs_diff(out, ref) < 1e-3f);
}

TEST_CASE("stylizer: odd image sizes are cropped back to the content size") {
  if (shared_file("weights/decoder.pth").empty()) return;
  const gs::models::Stylizer model = gs::test::real_model();
  gs::Rng rng(2);
  const Tensor out = model.stylize_adain(gs::Tensor::uniform({1, 3, 45, 61}, rng, 0, 1),
                                         gs::Tensor::uniform({1, 3, 37, 30}, rng, 0, 1), 0.5f);
  CHECK(out.shape() == gs::Shape{1, 3, 45, 61});
}
