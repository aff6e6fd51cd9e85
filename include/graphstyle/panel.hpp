// A labelled grid of images for looking at results side by side: a header with one label per
// column, then per row a caption line and its images, each fitted (aspect kept) into a square cell.
//
//   graphstyle::Font font("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
//   graphstyle::Image grid = graphstyle::make_panel({"content", "style", "gnn"},
//                                                   {{"photo x painting", {content, style, out}}}, font);
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "graphstyle/image.hpp"
#include "graphstyle/export.h"

GRAPHSTYLE_EXPORT_BEGIN
namespace graphstyle {

// A TrueType font for the labels (stb_truetype). Immutable and shared by copies.
class Font {
 public:
  explicit Font(const std::string& ttf_path);  // OptionError (field "font", code file) if it is not a readable font

  struct Impl;
  const Impl& impl() const;  // for the library's own use

 private:
  std::shared_ptr<const Impl> impl_;
};

struct PanelRow {
  std::string label;
  std::vector<Image> images;  // one per column; an empty Image leaves its cell empty
};

// Cells of cell x cell pixels (>= 16); every row has one image per column label (OptionError "rows"
// otherwise).
Image make_panel(const std::vector<std::string>& column_labels, const std::vector<PanelRow>& rows, const Font& font,
                 int cell = 256);

}  // namespace graphstyle
GRAPHSTYLE_EXPORT_END
