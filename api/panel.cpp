// graphstyle::make_panel over the library's panel and font (eval/panel.h, eval/font.h).
#include "graphstyle/panel.hpp"

#include "api/convert.h"
#include "eval/font.h"
#include "eval/panel.h"

namespace graphstyle {

struct Font::Impl {
  gs::eval::Font font;
};

Font::Font(const std::string& ttf_path)
    : impl_(detail::translate([&] {
        try {
          return std::make_shared<const Impl>(Impl{gs::eval::Font(ttf_path)});
        } catch (const std::runtime_error& e) {
          throw OptionError("font", e.what(), ErrorCode::file);
        }
      })) {}
const Font::Impl& Font::impl() const { return *impl_; }

Image make_panel(const std::vector<std::string>& column_labels, const std::vector<PanelRow>& rows, const Font& font,
                 int cell) {
  return detail::translate([&] {
    std::vector<gs::eval::PanelRow> in;
    for (const PanelRow& r : rows) {
      gs::eval::PanelRow row{r.label, {}};
      for (const Image& image : r.images)
        row.images.push_back(image.width > 0 && image.height > 0 ? detail::to_tensor(image, "rows") : gs::Tensor());
      in.push_back(std::move(row));
    }
    try {
      return detail::to_image(gs::eval::make_panel(column_labels, in, font.impl().font, cell));
    } catch (const std::invalid_argument& e) {
      throw OptionError("rows", e.what());
    }
  });
}

}  // namespace graphstyle
