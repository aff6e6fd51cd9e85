#include "eval/font.h"

#include <stb_truetype.h>  // the implementation is in libstb

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace gs::eval {

std::vector<int> utf8_code_points(const std::string& text) {
  std::vector<int> out;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = text[i];
    const int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;  // continuation bytes
    int cp = n == 0 ? c : n == 1 ? c & 0x1f : n == 2 ? c & 0x0f : c & 0x07;
    bool ok = n >= 0 && i + n < text.size();
    for (int k = 1; ok && k <= n; ++k) {
      const unsigned char next = text[i + k];
      ok = (next >> 6) == 2;
      cp = (cp << 6) | (next & 0x3f);
    }
    out.push_back(ok ? cp : 0xFFFD);
    i += ok ? n + 1 : 1;
  }
  return out;
}

Font::Font(const std::string& path) : info_(std::make_unique<stbtt_fontinfo>()) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open the font file");
  data_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  const int offset = data_.empty() ? -1 : stbtt_GetFontOffsetForIndex(data_.data(), 0);
  if (offset < 0 || !stbtt_InitFont(info_.get(), data_.data(), offset))
    throw std::runtime_error(path + ": not a TrueType font");
}

Font::~Font() = default;
Font::Font(Font&&) noexcept = default;
Font& Font::operator=(Font&&) noexcept = default;

int64_t Font::width(const std::string& text, float px) const {
  const float scale = stbtt_ScaleForPixelHeight(info_.get(), px);
  const std::vector<int> cps = utf8_code_points(text);
  float x = 0;
  for (size_t i = 0; i < cps.size(); ++i) {
    int advance = 0, lsb = 0;
    stbtt_GetCodepointHMetrics(info_.get(), cps[i], &advance, &lsb);
    x += advance * scale;
    if (i + 1 < cps.size()) x += scale * stbtt_GetCodepointKernAdvance(info_.get(), cps[i], cps[i + 1]);
  }
  return static_cast<int64_t>(std::ceil(x));
}

// rgb: [3,H,W]
void Font::draw(Tensor& rgb, const std::string& text, int64_t x0, int64_t y0, float px, std::array<float, 3> colour,
                int64_t max_width) const {
  if (rgb.dim() != 3 || rgb.size(0) != 3 || !rgb.is_contiguous())
    throw std::invalid_argument("Font::draw: expected a contiguous [3,H,W] image, got " + shape_str(rgb.shape()));
  const int64_t H = rgb.size(1), W = rgb.size(2), right = std::min(W, x0 + max_width);
  const float scale = stbtt_ScaleForPixelHeight(info_.get(), px);
  int ascent = 0, descent = 0, gap = 0;
  stbtt_GetFontVMetrics(info_.get(), &ascent, &descent, &gap);
  const int64_t baseline = y0 + static_cast<int64_t>(std::lround(ascent * scale));
  const std::vector<int> cps = utf8_code_points(text);
  float pen = static_cast<float>(x0);
  std::vector<unsigned char> glyph;
  for (size_t i = 0; i < cps.size(); ++i) {
    const float shift = pen - std::floor(pen);
    int gx0, gy0, gx1, gy1;
    stbtt_GetCodepointBitmapBoxSubpixel(info_.get(), cps[i], scale, scale, shift, 0, &gx0, &gy0, &gx1, &gy1);
    const int gw = gx1 - gx0, gh = gy1 - gy0;
    if (gw > 0 && gh > 0) {
      glyph.assign(static_cast<size_t>(gw) * gh, 0);
      stbtt_MakeCodepointBitmapSubpixel(info_.get(), glyph.data(), gw, gh, gw, scale, scale, shift, 0, cps[i]);
      const int64_t left = static_cast<int64_t>(std::floor(pen)) + gx0, top = baseline + gy0;
      for (int gy = 0; gy < gh; ++gy)
        for (int gx = 0; gx < gw; ++gx) {
          const int64_t x = left + gx, y = top + gy;
          if (x < 0 || y < 0 || x >= right || y >= H) continue;
          const float a = glyph[gy * gw + gx] / 255.f;
          for (int c = 0; c < 3; ++c) {
            float& v = rgb.data()[(c * H + y) * W + x];
            v = v * (1 - a) + colour[c] * a;
          }
        }
    }
    int advance = 0, lsb = 0;
    stbtt_GetCodepointHMetrics(info_.get(), cps[i], &advance, &lsb);
    pen += advance * scale;
    if (i + 1 < cps.size()) pen += scale * stbtt_GetCodepointKernAdvance(info_.get(), cps[i], cps[i + 1]);
  }
}

}  // namespace gs::eval
