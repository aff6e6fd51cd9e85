// The API's images: conversions, files (through data/image.h) and resizing.
#include <algorithm>
#include <cmath>
#include <string>

#include "api/convert.h"
#include "data/image.h"

namespace graphstyle {

namespace detail {

gs::Tensor to_tensor(const Image& image, const char* what) {
  if (image.width < 1 || image.height < 1)
    throw OptionError(what, std::string(what) + " image is empty (" + std::to_string(image.width) + "x" +
                                std::to_string(image.height) + ")");
  const int64_t plane = int64_t{image.width} * image.height;
  if (static_cast<int64_t>(image.pixels.size()) != 3 * plane)
    throw OptionError(what, std::string(what) + " image: " + std::to_string(image.pixels.size()) +
                                " values for " + std::to_string(image.width) + "x" + std::to_string(image.height) +
                                " RGB pixels (expected " + std::to_string(3 * plane) + ")");
  gs::Tensor t = gs::Tensor::empty({1, 3, image.height, image.width});
  float* out = t.data();
  const float* in = image.pixels.data();
  for (int64_t i = 0; i < plane; ++i)
    for (int c = 0; c < 3; ++c) out[c * plane + i] = in[3 * i + c];
  return t;
}

Image to_image(const gs::Tensor& t_in) {
  const gs::Tensor t = (t_in.dim() == 4 ? t_in.select(0, 0) : t_in).contiguous();
  Image image(static_cast<int>(t.size(2)), static_cast<int>(t.size(1)));
  const int64_t plane = int64_t{image.width} * image.height;
  const float* in = t.data();
  float* out = image.pixels.data();
  for (int64_t i = 0; i < plane; ++i)
    for (int c = 0; c < 3; ++c) out[3 * i + c] = std::clamp(in[c * plane + i], 0.f, 1.f);
  return image;
}

}  // namespace detail

Image to_float(const ImageRGB8& image) {
  Image out;
  out.width = image.width;
  out.height = image.height;
  out.pixels.resize(image.pixels.size());
  for (size_t i = 0; i < image.pixels.size(); ++i) out.pixels[i] = image.pixels[i] / 255.f;
  return out;
}

ImageRGB8 to_rgb8(const Image& image) {
  ImageRGB8 out;
  out.width = image.width;
  out.height = image.height;
  out.pixels.resize(image.pixels.size());
  for (size_t i = 0; i < image.pixels.size(); ++i)  // half to even, as the image files are written
    out.pixels[i] = static_cast<uint8_t>(std::nearbyint(std::clamp(image.pixels[i], 0.f, 1.f) * 255.f));
  return out;
}

Image load_image(const std::string& path, const ImageLimits& limits) {
  return detail::translate([&] {
    return detail::to_image(gs::data::load_image(path, gs::data::ImageLimits{limits.max_side, limits.max_pixels}));
  });
}

void save_image(const std::string& path, const Image& image, int jpeg_quality) {
  detail::translate([&] { gs::data::save_image(path, detail::to_tensor(image, "image"), jpeg_quality); });
}

Image resize(const Image& image, int width, int height) {
  return detail::translate([&] {
    if (width < 1 || height < 1)
      throw OptionError("width", "width x height " + std::to_string(width) + "x" + std::to_string(height) +
                                     " must be at least 1x1");
    return detail::to_image(gs::data::resize_image(detail::to_tensor(image, "image").select(0, 0), height, width));
  });
}

}  // namespace graphstyle
