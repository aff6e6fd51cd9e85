#include "eval/legend.h"

#include <algorithm>
#include <stdexcept>

namespace gs::eval {

namespace {
constexpr int64_t kMinWidth = 320;  // room for a title and five tick labels
constexpr int64_t kMargin = 8;
constexpr float kTextPx = 15.f;
constexpr int64_t kLine = 20;
constexpr int64_t kBarHeight = 14;
constexpr int64_t kTick = 4;

// A white canvas of width max(W, kMinWidth) with the image at its top left and `below` rows under it.
Tensor canvas_with(const Tensor& image, int64_t below) {
  if (image.dim() != 3 || image.size(0) != 3) throw std::invalid_argument("legend: expected an RGB image [3,H,W]");
  const Tensor img = image.contiguous();
  const int64_t h = img.size(1), w = img.size(2), W = std::max(w, kMinWidth), H = h + below;
  Tensor out = Tensor::full({3, H, W}, 1.f);
  for (int c = 0; c < 3; ++c)
    for (int64_t y = 0; y < h; ++y) std::copy_n(img.data() + (c * h + y) * w, w, out.data() + (c * H + y) * W);
  return out;
}

void set_pixel(Tensor& out, int64_t x, int64_t y, const std::array<float, 3>& rgb) {
  const int64_t H = out.size(1), W = out.size(2);
  if (x < 0 || y < 0 || x >= W || y >= H) return;
  for (int c = 0; c < 3; ++c) out.data()[(c * H + y) * W + x] = rgb[c];
}
}  // namespace

Tensor with_legend(const Tensor& image, const ColourBar& bar, const Font& font) {
  const int64_t legend = kMargin + kLine + kBarHeight + kTick + kLine + kMargin;
  Tensor out = canvas_with(image, legend);
  const int64_t W = out.size(2), top = image.size(1) + kMargin;
  const std::array<float, 3> ink{0.1f, 0.1f, 0.1f};
  font.draw(out, bar.title, kMargin, top, kTextPx, ink, W - 2 * kMargin);

  // The bar spans the width less margins wide enough for the end labels to stay centred on their ticks.
  const int64_t x0 = kMargin + 16, x1 = W - kMargin - 16, bar_top = top + kLine;
  for (int64_t x = x0; x <= x1; ++x) {
    const auto rgb = bar.colour(float(x - x0) / float(x1 - x0));
    for (int64_t y = bar_top; y < bar_top + kBarHeight; ++y) set_pixel(out, x, y, rgb);
  }
  for (int64_t x = x0 - 1; x <= x1 + 1; ++x) {  // a thin frame: white ends of a bar stay visible
    set_pixel(out, x, bar_top - 1, ink);
    set_pixel(out, x, bar_top + kBarHeight, ink);
  }
  for (int64_t y = bar_top - 1; y <= bar_top + kBarHeight; ++y) {
    set_pixel(out, x0 - 1, y, ink);
    set_pixel(out, x1 + 1, y, ink);
  }
  for (const auto& [position, label] : bar.ticks) {
    if (position < 0.f || position > 1.f) throw std::invalid_argument("legend: tick '" + label + "' is off the bar");
    const int64_t x = x0 + std::lround(position * float(x1 - x0));
    for (int64_t y = bar_top + kBarHeight; y < bar_top + kBarHeight + kTick; ++y) set_pixel(out, x, y, ink);
    const int64_t w = font.width(label, kTextPx);
    const int64_t left = std::clamp<int64_t>(x - w / 2, 0, std::max<int64_t>(0, W - w));
    font.draw(out, label, left, bar_top + kBarHeight + kTick + 1, kTextPx, ink, W - left);
  }
  return out;
}

Tensor with_caption(const Tensor& image, const std::string& caption, const Font& font) {
  Tensor out = canvas_with(image, kMargin + kLine + kMargin);
  font.draw(out, caption, kMargin, image.size(1) + kMargin, kTextPx, {0.1f, 0.1f, 0.1f}, out.size(2) - 2 * kMargin);
  return out;
}

}  // namespace gs::eval
