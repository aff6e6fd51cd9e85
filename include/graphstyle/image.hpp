// Images as the API takes and returns them: interleaved RGB, row by row, top row first.
//   Image:      float channels in [0, 1] (outputs are clamped to it)
//   ImageRGB8:  8-bit channels
#pragma once
#include <cstdint>
#include <string>
#include <vector>
#include "graphstyle/export.h"

GRAPHSTYLE_EXPORT_BEGIN
namespace graphstyle {

struct Image {
  int width = 0, height = 0;
  std::vector<float> pixels;  // width * height * 3: R, G, B of pixel (x, y) at 3 * (y * width + x)

  Image() = default;
  Image(int w, int h) : width(w), height(h), pixels(static_cast<size_t>(w) * h * 3, 0.f) {}
};

struct ImageRGB8 {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;  // width * height * 3, as in Image

  ImageRGB8() = default;
  ImageRGB8(int w, int h) : width(w), height(h), pixels(static_cast<size_t>(w) * h * 3, 0) {}
};

Image to_float(const ImageRGB8& image);
ImageRGB8 to_rgb8(const Image& image);  // clamped to [0, 1], rounded half to even

// Files are refused before decoding when larger than these (a hostile file cannot exhaust memory).
struct ImageLimits {
  int64_t max_side = 16384;         // pixels on either side
  int64_t max_pixels = 64'000'000;  // width * height
};

// PNG, JPEG, BMP (anything stb_image decodes); grayscale is replicated and alpha dropped.
Image load_image(const std::string& path, const ImageLimits& limits = {});
// Format from the extension (.png, .jpg, .jpeg); written to a temporary file and renamed.
void save_image(const std::string& path, const Image& image, int jpeg_quality = 95);

// Catmull-Rom (bicubic) resampling to width x height.
Image resize(const Image& image, int width, int height);

}  // namespace graphstyle
GRAPHSTYLE_EXPORT_END
