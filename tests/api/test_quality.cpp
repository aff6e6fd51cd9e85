// graphstyle/quality.hpp, panel.hpp, files.hpp and the folder listing: what `graphstyle evaluate`
// uses, each against the library's own path or a case whose answer is known.
#include "graphstyle/graphstyle.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "api/convert.h"
#include "api/model_impl.h"
#include "api_fixture.h"
#include "e2e_fixture.h"
#include "eval/metrics.h"

using gs::test::contains;

TEST_CASE("quality: the metrics equal the library's, and an output equal to its content measures 0 and SSIM 1") {
  const gs::test::TinyModel tiny;
  const graphstyle::Image c = gs::test::smooth_image(48, 40, 0.f), s = gs::test::smooth_image(40, 40, 1.f);
  const graphstyle::Image out = graphstyle::as_saved(tiny.model.stylize(c, s, tiny.options()));
  const graphstyle::QualityMeter meter(tiny.model);
  const graphstyle::QualityMetrics m = meter.measure(out, c, s);

  const gs::models::Stylizer& lib = tiny.model.impl().stylizer;
  const gs::eval::FeatureEncoder encoder(lib.params(), lib.config());
  auto features = [&](const graphstyle::Image& im) { return encoder(graphstyle::detail::to_tensor(im, "image")); };
  const gs::eval::Metrics want = gs::eval::measure(features(out), features(c), features(s));
  CHECK(m.values() == want.values());  // bit for bit: the same encoder and arithmetic
  CHECK(m.content_relu4_1 > 0);
  CHECK(m.ssim < 1);

  const graphstyle::QualityFeatures fc = meter.features(c);
  CHECK(fc.width() == 48);
  CHECK(fc.height() == 40);
  const graphstyle::QualityMetrics same = meter.measure(fc, fc, meter.features(s));
  CHECK(same.content_relu4_1 == 0);
  CHECK(same.content_relu3_1 == 0);
  CHECK(same.ssim == doctest::Approx(1.0));
  CHECK(graphstyle::QualityMetrics::names()[5] == std::string("ssim"));
  CHECK(graphstyle::QualityMetrics::from_values(m.values()).values() == m.values());

  CHECK_THROWS_WITH_AS(meter.measure(meter.features(s), fc, fc), contains("differ in size"), graphstyle::OptionError);
  CHECK_THROWS_WITH_AS(meter.measure(graphstyle::QualityFeatures(), fc, fc), contains("output"), graphstyle::OptionError);
}

TEST_CASE("quality: as_saved is the image written to 8 bits and read back") {
  gs::test::TempDir dir;
  graphstyle::Image img = gs::test::smooth_image(12, 10, 0.5f);
  img.pixels[0] = 1.5f;  // clamped, as save_image does
  img.pixels[1] = -0.25f;
  graphstyle::save_image(dir.file("a.png"), img);
  CHECK(graphstyle::as_saved(img).pixels == graphstyle::load_image(dir.file("a.png")).pixels);
}

TEST_CASE("list_images: the image files below a folder, sorted; none names the field") {
  gs::test::TempDir dir;
  std::filesystem::create_directories(dir.file("sub"));
  const graphstyle::Image img = gs::test::smooth_image(8, 8, 0.f);
  graphstyle::save_image(dir.file("sub/b.jpg"), img);
  graphstyle::save_image(dir.file("a.png"), img);
  gs::test::write_file(dir.file("notes.txt"), "not an image\n");
  const std::vector<std::string> found = graphstyle::list_images(dir.file(""));
  REQUIRE(found.size() == 2);
  CHECK(std::filesystem::path(found[0]).filename() == "a.png");
  CHECK(std::filesystem::path(found[1]).filename() == "b.jpg");
  CHECK(graphstyle::list_images(dir.file("a.png")) == std::vector<std::string>{dir.file("a.png")});
  try {
    graphstyle::list_images(dir.file("sub/none"), "content_dir");
    FAIL("a missing folder listed");
  } catch (const graphstyle::OptionError& e) {
    CHECK(e.field() == "content_dir");
    CHECK(std::string(e.what()).find("sub/none") != std::string::npos);
  }
}

TEST_CASE("write_file: the bytes land whole; a missing folder is an error naming the path") {
  gs::test::TempDir dir;
  graphstyle::write_file(dir.file("r.csv"), "a,b\n1,2\n");
  std::ifstream in(dir.file("r.csv"), std::ios::binary);
  CHECK(std::string(std::istreambuf_iterator<char>(in), {}) == "a,b\n1,2\n");
  try {
    graphstyle::write_file(dir.file("none/r.csv"), "x");
    FAIL("wrote into a missing folder");
  } catch (const graphstyle::Error& e) {
    CHECK(e.code() == graphstyle::ErrorCode::file);
    CHECK(std::string(e.what()).find("none/r.csv") != std::string::npos);
  }
}

TEST_CASE("make_panel: a grid of the cells asked for; rows that do not fit the columns are refused") {
  const std::string ttf = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";  // fonts-dejavu-core
  CHECK_THROWS_WITH_AS(graphstyle::Font("/nonexistent.ttf"), contains("/nonexistent.ttf"), graphstyle::OptionError);
  if (!std::filesystem::exists(ttf)) {
    MESSAGE("skipped the panel: " << ttf << " not found");
    return;
  }
  const graphstyle::Font font(ttf);
  const graphstyle::Image a = gs::test::smooth_image(40, 20, 0.f), b = gs::test::smooth_image(20, 40, 1.f);
  const graphstyle::Image panel = graphstyle::make_panel({"a", "b", "empty"}, {{"row 1", {a, b, {}}}, {"row 2", {b, a, {}}}}, font, 64);
  CHECK(panel.width == 6 + 3 * (64 + 6));
  CHECK(panel.height == 24 + 2 * (24 + 64) + 6);
  CHECK_THROWS_WITH_AS(graphstyle::make_panel({"a", "b"}, {{"row 1", {a}}}, font, 64), contains("row 1"),
                       graphstyle::OptionError);
}

TEST_CASE("StopSignals: a signal is recorded, not acted on; one instance at a time") {
  graphstyle::StopSignals signals;
  CHECK_FALSE(signals.requested());
  CHECK_THROWS_AS(graphstyle::StopSignals(), graphstyle::Error);
  std::raise(SIGTERM);
  CHECK(signals.requested());
  CHECK(signals.signal_number() == SIGTERM);
}

TEST_CASE("psnr and ssim of two images: known answers; sizes must match") {
  const graphstyle::Image a = gs::test::smooth_image(32, 24, 0.f);
  graphstyle::Image b = a;
  for (float& v : b.pixels) v += 0.1f;  // mean squared difference 0.01: 20 dB
  CHECK(graphstyle::psnr(a, b) == doctest::Approx(20.0).epsilon(1e-5));
  CHECK(std::isinf(graphstyle::psnr(a, a)));
  CHECK(graphstyle::ssim(a, a) == doctest::Approx(1.0));
  CHECK(graphstyle::ssim(a, gs::test::smooth_image(32, 24, 2.f)) < 0.9);
  CHECK_THROWS_WITH_AS(graphstyle::psnr(a, gs::test::smooth_image(24, 32, 0.f)), contains("b is 24x32"),
                       graphstyle::OptionError);
  CHECK_THROWS_AS(graphstyle::ssim(a, gs::test::smooth_image(24, 32, 0.f)), graphstyle::OptionError);
}
