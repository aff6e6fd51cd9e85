#include "eval/legend.h"

#include <doctest/doctest.h>

#include <filesystem>

#include "models/graph_inspect.h"

using namespace gs;

namespace {
const char* kFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";  // fonts-dejavu-core (install_deps)

std::array<float, 3> rgb_at(const Tensor& img, int64_t y, int64_t x) {
  return {img.at({0, y, x}), img.at({1, y, x}), img.at({2, y, x})};
}
}  // namespace

TEST_CASE("with_legend: the image unchanged on top, a colour bar in the map's colours, labels under its ticks") {
  if (!std::filesystem::exists(kFont)) {
    MESSAGE("skipped: " << kFont << " not found (apt-get install fonts-dejavu-core)");
    return;
  }
  const eval::Font font(kFont);
  Tensor image = Tensor::full({3, 40, 100}, 0.25f);
  const eval::ColourBar bar{"scale", [](float t) { return models::scale_colour(std::exp2(4.f * t - 2.f)); },
                            {{0.f, "0.25"}, {0.5f, "1"}, {1.f, "4"}}};
  const Tensor out = eval::with_legend(image, bar, font);
  REQUIRE(out.size(2) == 320);  // widened for the labels
  REQUIRE(out.size(1) > 40 + 30);
  CHECK(rgb_at(out, 20, 50) == std::array<float, 3>{0.25f, 0.25f, 0.25f});
  CHECK(rgb_at(out, 20, 200) == std::array<float, 3>{1.f, 1.f, 1.f});  // white beside a narrow image
  // Find the bar: the first row under the image that holds pure blue (scale 0.25).
  int64_t bar_y = -1, x_blue = -1;
  for (int64_t y = 40; y < out.size(1) && bar_y < 0; ++y)
    for (int64_t x = 0; x < out.size(2); ++x)
      if (rgb_at(out, y, x) == std::array<float, 3>{0.f, 0.f, 1.f}) {
        bar_y = y;
        x_blue = x;
        break;
      }
  REQUIRE(bar_y > 40);
  // The bar ends in red (scale 4) and is white (scale 1) half-way.
  int64_t x_red = x_blue;
  const std::array<float, 3> frame{0.1f, 0.1f, 0.1f};
  while (x_red + 1 < out.size(2) && rgb_at(out, bar_y, x_red + 1) != frame) ++x_red;
  const auto end = rgb_at(out, bar_y, x_red);
  CHECK(end[0] == doctest::Approx(1.f));
  CHECK(end[1] < 0.05f);
  const auto middle = rgb_at(out, bar_y, (x_blue + x_red) / 2);
  CHECK(middle[0] > 0.95f);
  CHECK(middle[2] > 0.95f);
  // Ink (tick labels) below the bar near each end.
  int64_t ink = 0;
  for (int64_t y = bar_y + 14; y < out.size(1); ++y)
    for (int64_t x = 0; x < 40; ++x) ink += out.at({0, y, x}) < 0.5f;
  CHECK(ink > 10);
}

TEST_CASE("with_legend: a tick off the bar is an error") {
  if (!std::filesystem::exists(kFont)) return;
  const eval::Font font(kFont);
  const eval::ColourBar bar{"x", [](float t) { return std::array<float, 3>{t, t, t}; }, {{1.5f, "too far"}}};
  CHECK_THROWS_AS(eval::with_legend(Tensor::full({3, 8, 8}, 0.f), bar, font), std::invalid_argument);
}
