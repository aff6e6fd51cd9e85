#include "eval/panel.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "data/image.h"
#include "tensor/ops.h"

namespace gs::eval {

namespace {
constexpr int64_t kGap = 6;          // pixels between cells
constexpr float kTextPx = 18.f;      // label line height
constexpr int64_t kLine = 24;        // height of a label strip
constexpr float kBackground = 1.f;   // white page
constexpr float kCellGrey = 0.92f;   // what a cell shows around an image of another aspect

// Pastes img [3,h,w] into out [3,H,W] at (x, y).
void paste(Tensor& out, const Tensor& img, int64_t x, int64_t y) {
  const int64_t H = out.size(1), W = out.size(2), h = img.size(1), w = img.size(2);
  for (int c = 0; c < 3; ++c)
    for (int64_t r = 0; r < h; ++r)
      std::copy_n(img.data() + (c * h + r) * w, w, out.data() + (c * H + y + r) * W + x);
}

void fill(Tensor& out, int64_t x, int64_t y, int64_t w, int64_t h, float v) {
  const int64_t H = out.size(1), W = out.size(2);
  for (int c = 0; c < 3; ++c)
    for (int64_t r = 0; r < h; ++r) std::fill_n(out.data() + (c * H + y + r) * W + x, w, v);
}
}  // namespace

Tensor make_panel(const std::vector<std::string>& column_labels, const std::vector<PanelRow>& rows, const Font& font,
                  int64_t cell) {
  if (column_labels.empty() || rows.empty()) throw std::invalid_argument("make_panel: no columns or no rows");
  if (cell < 16) throw std::invalid_argument("make_panel: cells of " + std::to_string(cell) + " pixels are too small");
  const int64_t cols = static_cast<int64_t>(column_labels.size());
  for (const PanelRow& r : rows)
    if (static_cast<int64_t>(r.images.size()) != cols)
      throw std::invalid_argument("make_panel: row '" + r.label + "' has " + std::to_string(r.images.size()) +
                                  " images for " + std::to_string(cols) + " columns");
  const int64_t W = kGap + cols * (cell + kGap);
  const int64_t H = kLine + static_cast<int64_t>(rows.size()) * (kLine + cell) + kGap;
  Tensor out = Tensor::full({3, H, W}, kBackground);
  const std::array<float, 3> black{0.f, 0.f, 0.f}, grey{0.3f, 0.3f, 0.3f};
  for (int64_t c = 0; c < cols; ++c) {  // column labels, centred over their cells
    const int64_t x = kGap + c * (cell + kGap);
    const int64_t tw = std::min(cell, font.width(column_labels[c], kTextPx));
    font.draw(out, column_labels[c], x + (cell - tw) / 2, 3, kTextPx, black, cell);
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    const int64_t y = kLine + static_cast<int64_t>(r) * (kLine + cell);
    font.draw(out, rows[r].label, kGap, y + 3, kTextPx, grey, W - 2 * kGap);
    for (int64_t c = 0; c < cols; ++c) {
      const int64_t x = kGap + c * (cell + kGap);
      fill(out, x, y + kLine, cell, cell, kCellGrey);
      const Tensor& in = rows[r].images[c];
      if (!in.defined()) continue;
      const Tensor img = in.dim() == 4 ? in.select(0, 0) : in;
      if (img.dim() != 3 || img.size(0) != 3)
        throw std::invalid_argument("make_panel: expected [3,H,W] images, got " + shape_str(in.shape()));
      const double s = static_cast<double>(cell) / std::max(img.size(1), img.size(2));
      const int64_t h = std::clamp<int64_t>(std::lround(img.size(1) * s), 1, cell);
      const int64_t w = std::clamp<int64_t>(std::lround(img.size(2) * s), 1, cell);
      const Tensor fitted = clamp(data::resize_image(img.contiguous(), h, w), 0.f, 1.f).contiguous();
      paste(out, fitted, x + (cell - w) / 2, y + kLine + (cell - h) / 2);
    }
  }
  return out;
}

}  // namespace gs::eval
