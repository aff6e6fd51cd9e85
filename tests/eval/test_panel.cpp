#include "eval/panel.h"

#include <doctest/doctest.h>

#include <filesystem>

using namespace gs;

namespace {
const char* kFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";  // fonts-dejavu-core (install_deps)

// Pixels of the [3,H,W] image in rows [y0,y1) x columns [x0,x1) that differ from white.
int64_t inked(const Tensor& img, int64_t y0, int64_t y1, int64_t x0, int64_t x1) {
  int64_t n = 0;
  for (int64_t y = y0; y < y1; ++y)
    for (int64_t x = x0; x < x1; ++x) n += img.at({0, y, x}) < 0.99f;
  return n;
}
}  // namespace

TEST_CASE("utf8_code_points") {
  CHECK(eval::utf8_code_points("a\xc3\xa9\xe2\x82\xac") == std::vector<int>{'a', 0xe9, 0x20ac});
  CHECK(eval::utf8_code_points("\xff" "b") == std::vector<int>{0xFFFD, 'b'});
  CHECK(eval::utf8_code_points("\xc3") == std::vector<int>{0xFFFD});
}

TEST_CASE("make_panel: a grid with labels drawn in the font") {
  if (!std::filesystem::exists(kFont)) {
    MESSAGE("skipped: " << kFont << " not found (apt-get install fonts-dejavu-core)");
    return;
  }
  const eval::Font font(kFont);
  CHECK(font.width("content", 18.f) > 30);
  CHECK(font.width("content", 18.f) < font.width("content content", 18.f));
  const Tensor red = Tensor::zeros({3, 20, 40});
  Tensor red_img = red.clone();
  std::fill_n(red_img.data(), 20 * 40, 1.f);  // channel 0 = 1: red
  const std::vector<eval::PanelRow> rows{{"first row", {red_img, Tensor(), red_img}},
                                         {"second", {red_img, red_img, Tensor()}}};
  const Tensor p = eval::make_panel({"content", "style", "gnn"}, rows, font, 64);
  // 3 cells of 64 + 4 gaps of 6; a label strip of 24 on top and per row, 2 rows of 64, a gap.
  REQUIRE(p.shape() == Shape{3, 24 + 2 * (24 + 64) + 6, 6 + 3 * 70});
  CHECK(inked(p, 0, 24, 6, 70) > 20);     // "content" is drawn
  CHECK(inked(p, 24, 48, 6, 150) > 20);   // the first row's label
  // The first cell: a 64 x 32 red image centred in the 64 x 64 cell, grey above and below it.
  CHECK(p.at({0, 48 + 32, 6 + 32}) == doctest::Approx(1.f));
  CHECK(p.at({1, 48 + 32, 6 + 32}) == doctest::Approx(0.f));
  CHECK(p.at({1, 48 + 4, 6 + 32}) == doctest::Approx(0.92f));
  CHECK_THROWS_WITH(eval::Font("/nonexistent/font.ttf"), doctest::Contains("/nonexistent/font.ttf"));
}
