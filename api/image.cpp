// The API's images: conversions, files (through data/image.h) and resizing.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <new>
#include <string>

#include "api/convert.h"
#include "data/image.h"
#include "data/image_folder.h"

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

Image decode_image(const void* data, size_t size, const std::string& name, const ImageLimits& limits) {
  return detail::translate([&] {
    if (!data && size) throw OptionError(name, name + ": data is null but size is " + std::to_string(size));
    try {
      return detail::to_image(gs::data::decode_image_bytes(static_cast<const unsigned char*>(data), size,
                                                           gs::data::ImageLimits{limits.max_side, limits.max_pixels},
                                                           name));
    } catch (const std::bad_alloc&) {
      throw;
    } catch (const std::exception& e) {  // the decoders name `name`: the bytes are what is wrong
      throw OptionError(name, e.what());
    }
  });
}

std::vector<uint8_t> encode_image(const Image& image, const std::string& format, int jpeg_quality) {
  return detail::translate([&] {
    if (format != "png" && format != "jpg" && format != "jpeg")
      throw OptionError("format", "format " + format + " must be png, jpg or jpeg");
    if (jpeg_quality < 1 || jpeg_quality > 100)
      throw OptionError("jpeg_quality", "jpeg_quality " + std::to_string(jpeg_quality) + " must be in 1..100");
    return gs::data::encode_image(detail::to_tensor(image, "image"), "." + format, jpeg_quality);
  });
}

ImageSize sized(int width, int height, const std::string& size, const std::string& field) {
  return detail::translate([&] {
    gs::data::SizeSpec spec;
    try {
      spec = gs::data::parse_size(size, field);
    } catch (const std::invalid_argument& e) {
      throw OptionError(field, e.what());
    }
    constexpr int64_t kMaxSide = 1 << 16;  // beyond any image the limits let through; keeps the arithmetic exact
    if (spec.side > kMaxSide || spec.width > kMaxSide || spec.height > kMaxSide)
      throw OptionError(field, field + " " + size + ": sides must be at most " + std::to_string(kMaxSide));
    if (width < 1 || height < 1)
      throw OptionError(field, field + ": the image is empty (" + std::to_string(width) + "x" + std::to_string(height) + ")");
    const auto [h, w] = gs::data::target_hw(height, width, spec);
    if (h < 1 || w < 1 || h > INT32_MAX || w > INT32_MAX)
      throw OptionError(field, field + " " + size + ": " + std::to_string(w) + "x" + std::to_string(h) + " is not a usable size");
    return ImageSize{static_cast<int>(w), static_cast<int>(h)};
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

std::vector<std::string> list_images(const std::string& folder, const std::string& field) {
  return detail::translate([&] {
    try {
      return gs::data::list_images(folder, field);
    } catch (const std::invalid_argument& e) {
      throw OptionError(field, e.what());
    } catch (const std::runtime_error& e) {
      throw OptionError(field, e.what(), ErrorCode::file);
    }
  });
}

}  // namespace graphstyle
