#include "data/image.h"

#include <doctest/doctest.h>
#include <stb/stb_image_write.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "data/test_files.h"
#include "shared_path.h"
#include "tensor/ops.h"

using gs::Tensor;
namespace fs = std::filesystem;
namespace data = gs::data;

namespace {
std::string temp(const std::string& name) { return (fs::temp_directory_path() / name).string(); }

Tensor gradient_image(int64_t h, int64_t w) {
  Tensor t({3, h, w});
  for (int64_t y = 0; y < h; ++y)
    for (int64_t x = 0; x < w; ++x) {
      t.set({0, y, x}, float(x) / float(w - 1));
      t.set({1, y, x}, float(y) / float(h - 1));
      t.set({2, y, x}, 0.25f);
    }
  return t;
}

void truncate_copy(const std::string& from, const std::string& to, double keep) {
  std::ifstream in(from, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  std::ofstream(to, std::ios::binary) << bytes.substr(0, size_t(bytes.size() * keep));
}
}  // namespace

TEST_CASE("image: PNG round trip is exact to 8 bits; JPEG is close") {
  const Tensor img = gradient_image(17, 23);
  const std::string png = temp("gs_test_image.png"), jpg = temp("gs_test_image.jpg");
  data::save_image(png, img);
  Tensor back = data::load_image(png);
  CHECK(back.shape() == gs::Shape{3, 17, 23});
  CHECK(gs::max_abs_diff(back, img) <= 0.5f / 255.f + 1e-6f);
  data::save_image(jpg, img.unsqueeze(0), 95);  // [1,3,H,W] is accepted too
  CHECK(gs::max_abs_diff(data::load_image(jpg), img) < 0.05f);
  fs::remove(png);
  fs::remove(jpg);
}

TEST_CASE("image: grayscale files become three equal channels") {
  const std::string path = gs::test::shared_file("images/style/escher_sphere.jpg");
  if (path.empty()) return;
  Tensor img = data::load_image(path);
  CHECK(img.size(0) == 3);
  CHECK(gs::max_abs_diff(img.select(0, 0), img.select(0, 2)) == 0.f);
}

TEST_CASE("image: clear errors naming the file") {
  CHECK_THROWS_WITH_AS(data::load_image("/nonexistent/x.png"), doctest::Contains("/nonexistent/x.png: no such file"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(data::load_image(fs::temp_directory_path().string()), doctest::Contains("is a directory"),
                       std::runtime_error);
  const std::string text = temp("gs_test_not_image.png");
  std::ofstream(text) << "just some text, not pixels";
  CHECK_THROWS_WITH_AS(data::load_image(text), doctest::Contains("not a PNG, JPEG or BMP image"), std::runtime_error);

  const std::string png = temp("gs_test_full.png"), cut_png = temp("gs_test_cut.png");
  data::save_image(png, gradient_image(64, 64));
  truncate_copy(png, cut_png, 0.5);
  CHECK_THROWS_WITH_AS(data::load_image(cut_png), doctest::Contains("gs_test_cut.png"), std::runtime_error);

  const std::string jpg = temp("gs_test_full.jpg"), cut_jpg = temp("gs_test_cut.jpg");
  data::save_image(jpg, gradient_image(64, 64));
  truncate_copy(jpg, cut_jpg, 0.6);
  CHECK_THROWS_WITH_AS(data::load_image(cut_jpg), doctest::Contains("truncated"), std::runtime_error);

  data::ImageLimits small{32, 1000};
  CHECK_THROWS_WITH_AS(data::load_image(png, small), doctest::Contains("64x64, larger than the limit"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(data::save_image("/nonexistent-dir/out.png", gradient_image(4, 4)),
                       doctest::Contains("does not exist"), std::runtime_error);
  CHECK_THROWS_WITH_AS(data::save_image(temp("x.gif"), gradient_image(4, 4)), doctest::Contains(".gif"),
                       std::invalid_argument);
  for (const auto& p : {text, png, cut_png, jpg, cut_jpg}) fs::remove(p);
}

TEST_CASE("image: --size parsing and target sizes follow the reference") {
  auto s = data::parse_size("512", "--size");
  CHECK(data::target_hw(600, 800, s) == std::pair<int64_t, int64_t>{512, 680});  // 800*512/600 = 682.7 -> 680
  CHECK(data::target_hw(800, 600, s) == std::pair<int64_t, int64_t>{680, 512});
  CHECK(data::target_hw(300, 400, data::parse_size("0", "--size")) == std::pair<int64_t, int64_t>{300, 400});
  CHECK(data::target_hw(300, 400, data::parse_size("320x240", "--size")) == std::pair<int64_t, int64_t>{240, 320});
  for (const char* bad : {"-1", "abc", "12x", "x12", "5.5", "0x10"})
    CHECK_THROWS_WITH_AS(data::parse_size(bad, "--style-size"), doctest::Contains("--style-size"),
                         std::invalid_argument);
}

TEST_CASE("image: resizing keeps a constant image constant and the range in [0,1]") {
  Tensor flat = Tensor::full({3, 10, 10}, 0.3f);
  Tensor r = data::resize_image(flat, 7, 13);
  CHECK(r.shape() == gs::Shape{3, 7, 13});
  CHECK(gs::max_abs_diff(r, Tensor::full({3, 7, 13}, 0.3f)) < 1e-5f);
  Tensor checker({3, 8, 8});
  for (int64_t i = 0; i < checker.numel(); ++i) checker.data()[i] = float((i + i / 8) % 2);
  Tensor up = data::resize_image(checker, 21, 21);
  CHECK(gs::max(up, {}).item() <= 1.f);
  CHECK(-gs::max(gs::neg(up), {}).item() >= 0.f);
}

TEST_CASE("image: BMP is read (stb, after our header checks); GIF, PNM and HDR are refused by signature") {
  const std::string bmp = temp("gs_test.bmp"), gif = temp("gs_test.gif"), pgm = temp("gs_test.pgm");
  std::vector<unsigned char> px(5 * 3 * 3);
  for (size_t i = 0; i < px.size(); ++i) px[i] = static_cast<unsigned char>(i * 17);
  REQUIRE(stbi_write_bmp(bmp.c_str(), 5, 3, 3, px.data()));
  Tensor img = data::load_image(bmp);
  REQUIRE(img.shape() == gs::Shape{3, 3, 5});
  CHECK(img.at({1, 0, 0}) == doctest::Approx(17 / 255.f));  // pixel 0, green
  CHECK(img.at({2, 2, 4}) == doctest::Approx(px[(2 * 5 + 4) * 3 + 2] / 255.f));
  std::ofstream(gif, std::ios::binary) << std::string("GIF89a\x01\x00\x01\x00\x00\x00\x00;", 13);
  std::ofstream(pgm, std::ios::binary) << "P5\n2 2\n255\n\x01\x02\x03\x04";
  for (const std::string& p : {gif, pgm})
    CHECK_THROWS_WITH_AS(data::load_image(p), gs::test::contains(p + ": not a PNG, JPEG or BMP image"),
                         std::runtime_error);
  for (const auto& p : {bmp, gif, pgm}) fs::remove(p);
}
