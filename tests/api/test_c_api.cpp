// The C API: status codes, per-thread error messages, options by field name, and the same pixels
// as the C++ API.
#include "graphstyle/graphstyle.h"

#include <doctest/doctest.h>

#include <string>
#include <thread>

#include "api_fixture.h"

namespace {
std::string last_error() { return graphstyle_last_error(); }
}  // namespace

TEST_CASE("c api: a version, and statuses with messages for bad files and NULL pointers") {
  CHECK(std::string(graphstyle_version()) == GRAPHSTYLE_VERSION_STRING);
  graphstyle_model* model = reinterpret_cast<graphstyle_model*>(1);
  CHECK(graphstyle_model_load("/nonexistent/model.h5", &model) == GRAPHSTYLE_FILE_ERROR);
  CHECK(model == nullptr);
  CHECK(last_error() == "/nonexistent/model.h5: no such file");
  CHECK(graphstyle_model_load(nullptr, &model) == GRAPHSTYLE_INVALID_ARGUMENT);
  CHECK(last_error() == "path is NULL");
  CHECK(graphstyle_model_load_memory("abc", 3, &model) == GRAPHSTYLE_FILE_ERROR);
  CHECK(last_error().find("not an HDF5 file") != std::string::npos);
  graphstyle_context* ctx = nullptr;
  CHECK(graphstyle_context_create(&ctx) == GRAPHSTYLE_OK);
  uint8_t px[3 * 64] = {};
  CHECK(graphstyle_stylize_rgb8(nullptr, ctx, nullptr, px, 8, 8, px, 8, 8, px) == GRAPHSTYLE_INVALID_ARGUMENT);
  CHECK(last_error() == "model is NULL");
  graphstyle_context_free(ctx);
  graphstyle_model_free(nullptr);
  graphstyle_options_free(nullptr);
}

TEST_CASE("c api: options by name, range errors naming the field, and the C++ API's pixels") {
  const gs::test::TinyModelFile file;
  graphstyle_model* model = nullptr;
  REQUIRE(graphstyle_model_load(file.path.c_str(), &model) == GRAPHSTYLE_OK);
  graphstyle_options* opt = nullptr;
  REQUIRE(graphstyle_options_create(model, &opt) == GRAPHSTYLE_OK);
  CHECK(graphstyle_options_set_int(opt, "k", 3) == GRAPHSTYLE_OK);
  CHECK(graphstyle_options_set_int(opt, "kc", 2) == GRAPHSTYLE_OK);
  CHECK(graphstyle_options_set_int(opt, "deformable", 2) == GRAPHSTYLE_INVALID_ARGUMENT);
  CHECK(last_error() == "deformable 2 must be 0 or 1");
  CHECK(graphstyle_options_set_int(opt, "colour", 2) == GRAPHSTYLE_INVALID_ARGUMENT);
  CHECK(last_error().find("no integer option 'colour'") != std::string::npos);
  CHECK(graphstyle_options_set_string(opt, "method", "magic") == GRAPHSTYLE_INVALID_ARGUMENT);
  CHECK(last_error() == "method 'magic': expected gnn or adain");
  CHECK(graphstyle_options_set_float(opt, "alpha", 0.7f) == GRAPHSTYLE_OK);

  const graphstyle::ImageRGB8 c = graphstyle::to_rgb8(gs::test::smooth_image(48, 40, 0.f));
  const graphstyle::ImageRGB8 s = graphstyle::to_rgb8(gs::test::smooth_image(40, 48, 1.f));
  graphstyle_context* ctx = nullptr;
  REQUIRE(graphstyle_context_create(&ctx) == GRAPHSTYLE_OK);
  std::vector<uint8_t> out(c.pixels.size());
  REQUIRE(graphstyle_stylize_rgb8(model, ctx, opt, c.pixels.data(), c.width, c.height, s.pixels.data(), s.width,
                                  s.height, out.data()) == GRAPHSTYLE_OK);
  const graphstyle::Model cpp = graphstyle::Model::load(file.path);
  graphstyle::StylizeOptions o = cpp.default_options();
  o.k = 3;
  o.kc = 2;
  o.alpha = 0.7f;
  graphstyle::Context cpp_ctx;
  CHECK(cpp.stylize(cpp_ctx, c, s, o).pixels == out);

  // An impossible setting fails in the call, the error on this thread only.
  CHECK(graphstyle_options_set_int(opt, "k", 50) == GRAPHSTYLE_OK);
  CHECK(graphstyle_stylize_rgb8(model, ctx, opt, c.pixels.data(), c.width, c.height, s.pixels.data(), s.width,
                                s.height, out.data()) == GRAPHSTYLE_INVALID_ARGUMENT);
  CHECK(last_error().rfind("k 50 must be in 1..", 0) == 0);
  std::string other_thread = "unset";
  std::thread([&] { other_thread = graphstyle_last_error(); }).join();
  CHECK(other_thread.empty());
  CHECK(graphstyle_stylize_rgb8(model, ctx, opt, c.pixels.data(), 0, c.height, s.pixels.data(), s.width, s.height,
                                out.data()) == GRAPHSTYLE_INVALID_ARGUMENT);
  CHECK(last_error() == "content size 0x40 must be at least 1x1");

  graphstyle_context_free(ctx);
  graphstyle_options_free(opt);
  graphstyle_model_free(model);
}

TEST_CASE("c api: image files and resizing") {
  gs::test::TempDir dir;
  const graphstyle::ImageRGB8 img = graphstyle::to_rgb8(gs::test::smooth_image(20, 12, 0.f));
  const std::string path = dir.file("a.png");
  REQUIRE(graphstyle_image_save_rgb8(path.c_str(), img.pixels.data(), 20, 12) == GRAPHSTYLE_OK);
  uint8_t* pixels = nullptr;
  int w = 0, h = 0;
  REQUIRE(graphstyle_image_load_rgb8(path.c_str(), &pixels, &w, &h) == GRAPHSTYLE_OK);
  CHECK(w == 20);
  CHECK(h == 12);
  CHECK(std::vector<uint8_t>(pixels, pixels + 20 * 12 * 3) == img.pixels);
  std::vector<uint8_t> small(10 * 6 * 3);
  CHECK(graphstyle_image_resize_rgb8(pixels, w, h, small.data(), 10, 6) == GRAPHSTYLE_OK);
  graphstyle_free(pixels);
  CHECK(graphstyle_image_load_rgb8((path + ".missing").c_str(), &pixels, &w, &h) == GRAPHSTYLE_FILE_ERROR);
  CHECK(pixels == nullptr);
  CHECK(last_error().find("a.png.missing") != std::string::npos);
}

TEST_CASE("c api: quality metrics equal the C++ meter's, in the order of their names") {
  const gs::test::TinyModelFile file;
  graphstyle_model* model = nullptr;
  REQUIRE(graphstyle_model_load(file.path.c_str(), &model) == GRAPHSTYLE_OK);
  const graphstyle::ImageRGB8 c = graphstyle::to_rgb8(gs::test::smooth_image(48, 40, 0.f));
  const graphstyle::ImageRGB8 o = graphstyle::to_rgb8(gs::test::smooth_image(48, 40, 0.5f));
  const graphstyle::ImageRGB8 s = graphstyle::to_rgb8(gs::test::smooth_image(40, 48, 1.f));
  double m[GRAPHSTYLE_QUALITY_METRICS] = {};
  REQUIRE(graphstyle_quality_rgb8(model, o.pixels.data(), c.pixels.data(), c.width, c.height, s.pixels.data(),
                                  s.width, s.height, m) == GRAPHSTYLE_OK);
  const graphstyle::Model cpp = graphstyle::Model::load(file.path);
  const graphstyle::QualityMetrics want =
      graphstyle::QualityMeter(cpp).measure(graphstyle::to_float(o), graphstyle::to_float(c), graphstyle::to_float(s));
  for (int i = 0; i < GRAPHSTYLE_QUALITY_METRICS; ++i) {
    CAPTURE(i);
    CHECK(std::string(graphstyle_quality_metric_name(i)) == graphstyle::QualityMetrics::names()[i]);
    CHECK(m[i] == want.values()[i]);
  }
  CHECK(std::string(graphstyle_quality_metric_name(5)) == "ssim");
  CHECK(graphstyle_quality_metric_name(6) == nullptr);
  CHECK(graphstyle_quality_metric_name(-1) == nullptr);
  CHECK(m[5] < 1.0);  // the output differs from the content

  CHECK(graphstyle_quality_rgb8(model, o.pixels.data(), c.pixels.data(), c.width, c.height, s.pixels.data(), s.width,
                                s.height, nullptr) == GRAPHSTYLE_INVALID_ARGUMENT);
  CHECK(last_error() == "metrics is NULL");
  CHECK(graphstyle_quality_rgb8(model, o.pixels.data(), c.pixels.data(), 4, 4, s.pixels.data(), s.width, s.height,
                                m) == GRAPHSTYLE_INVALID_ARGUMENT);
  CHECK(last_error() == "image 4x4 is too small to measure: the metrics need at least 11x11 pixels");
  graphstyle_model_free(model);
}
