// Images as the API takes and returns them: interleaved RGB, row by row, top row first.
//   Image:      float channels in [0, 1] (outputs are clamped to it)
//   ImageRGB8:  8-bit channels
#pragma once
#include <cstddef>
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
// The same from an image file's bytes in memory (an upload, say); errors name `name` (an
// OptionError with field `name` when the bytes are not an image within the limits).
Image decode_image(const void* data, size_t size, const std::string& name, const ImageLimits& limits = {});
// Format from the extension (.png, .jpg, .jpeg); written to a temporary file and renamed.
void save_image(const std::string& path, const Image& image, int jpeg_quality = 95);
// The bytes save_image writes, in memory: `format` is png, jpg or jpeg.
std::vector<uint8_t> encode_image(const Image& image, const std::string& format, int jpeg_quality = 95);

// The size forms of `graphstyle stylize`'s image sizes: "512" = shorter side 512, the other side
// keeping the aspect ratio rounded to a multiple of 8; "320x240" = exactly W x H; "0" = as is.
// Returns the width and height an image of width x height gets; throws OptionError (field `field`)
// for a malformed form.
struct ImageSize {
  int width = 0, height = 0;
};
ImageSize sized(int width, int height, const std::string& size, const std::string& field = "size");

// Catmull-Rom (bicubic) resampling to width x height.
Image resize(const Image& image, int width, int height);

// The image files (.jpg .jpeg .png .bmp) below `folder`, searched recursively, in sorted order; a
// path to an image file gives just that file. None is an OptionError naming `field` and the folder.
std::vector<std::string> list_images(const std::string& folder, const std::string& field = "folder");

}  // namespace graphstyle
GRAPHSTYLE_EXPORT_END
