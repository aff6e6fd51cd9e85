// Legends for pictures whose colours encode a value: a strip under the image with a title, a colour
// bar and its tick values, so that a person reading the picture knows what a colour means.
#pragma once
#include <array>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "eval/font.h"
#include "tensor/tensor.h"

namespace gs::eval {

struct ColourBar {
  std::string title;
  std::function<std::array<float, 3>(float)> colour;  // of a position in [0, 1] along the bar
  std::vector<std::pair<float, std::string>> ticks;   // position in [0, 1], label
};

// image [3,H,W] -> [3,H+legend,max(W,320)]: the image on white, the legend below it.
Tensor with_legend(const Tensor& image, const ColourBar& bar, const Font& font);
// The same with a caption only (for images whose colours are the style's own).
Tensor with_caption(const Tensor& image, const std::string& caption, const Font& font);

}  // namespace gs::eval
