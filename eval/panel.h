// A labelled grid of images for looking at results side by side: a header with one label per
// column, then per row a caption line and its images, each fitted (aspect kept) into a square cell.
#pragma once
#include <string>
#include <vector>

#include "eval/font.h"
#include "tensor/tensor.h"

namespace gs::eval {

struct PanelRow {
  std::string label;
  std::vector<Tensor> images;  // one per column, [3,H,W] or [1,3,H,W]; undefined = an empty cell
};

// -> [3,H,W] RGB in [0,1]: cells of cell x cell pixels.
Tensor make_panel(const std::vector<std::string>& column_labels, const std::vector<PanelRow>& rows, const Font& font,
                  int64_t cell = 256);

}  // namespace gs::eval
