// Text on images, drawn with a TrueType font through stb_truetype (libstb-dev): labels of panels.
#pragma once
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "tensor/tensor.h"

struct stbtt_fontinfo;

namespace gs::eval {

class Font {
 public:
  explicit Font(const std::string& ttf_path);  // throws naming the file if it is not a readable font
  ~Font();
  Font(Font&&) noexcept;
  Font& operator=(Font&&) noexcept;

  // Width in pixels of UTF-8 text at a line height of `px` pixels.
  int64_t width(const std::string& text, float px) const;
  // Draws UTF-8 text onto rgb [3,H,W] (anti-aliased, blended), the line's top-left at (x, y); glyphs
  // past x + max_width or outside the image are clipped.
  void draw(Tensor& rgb, const std::string& text, int64_t x, int64_t y, float px, std::array<float, 3> colour,
            int64_t max_width) const;

 private:
  std::vector<unsigned char> data_;  // the font file; info_ points into it
  std::unique_ptr<stbtt_fontinfo> info_;
};

// UTF-8 -> code points; a malformed byte becomes U+FFFD.
std::vector<int> utf8_code_points(const std::string& text);

}  // namespace gs::eval
