#include "data/image.h"

#include <stb/stb_image_resize.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "data/atomic_file.h"
#include "data/image_decode.h"
#include "tensor/ops.h"

namespace gs::data {

namespace fs = std::filesystem;

namespace {
std::vector<unsigned char> read_file(const std::string& path, int64_t max_bytes) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw std::runtime_error(path + ": no such file");
  if (fs::is_directory(path, ec)) throw std::runtime_error(path + ": is a directory, expected an image file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open for reading");
  const auto size = fs::file_size(path, ec);
  if (!ec && size > static_cast<uint64_t>(max_bytes))
    throw std::runtime_error(path + ": " + std::to_string(size) + " bytes, larger than the limit of " +
                             std::to_string(max_bytes) + " for an image file");
  std::vector<unsigned char> bytes(std::istreambuf_iterator<char>(in), {});
  if (bytes.size() > static_cast<uint64_t>(max_bytes))  // a pipe or a file that grew
    throw std::runtime_error(path + ": larger than the limit of " + std::to_string(max_bytes) + " bytes for an image file");
  return bytes;
}

// The cubic filter overshoots at sharp edges; images stay in [0,1].
Tensor clamp_unit(const Tensor& t) { return gs::clamp(t, 0.f, 1.f); }

std::string lower_extension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}
}  // namespace

Tensor decode_image_bytes(const unsigned char* bytes, size_t size, const ImageLimits& limits, const std::string& name) {
  if (size > static_cast<uint64_t>(limits.max_bytes))
    throw std::runtime_error(name + ": " + std::to_string(size) + " bytes, larger than the limit of " +
                             std::to_string(limits.max_bytes) + " for an image file");
  const Rgb8 rgb = decode_image(bytes, size, limits, name);
  Tensor out = Tensor::empty({3, rgb.height, rgb.width});
  const int64_t plane = rgb.width * rgb.height;
  for (int64_t i = 0; i < plane; ++i)
    for (int c = 0; c < 3; ++c) out.data()[c * plane + i] = rgb.pixels[i * 3 + c] / 255.f;
  return out;
}

Tensor load_image(const std::string& path, const ImageLimits& limits) {
  const std::vector<unsigned char> bytes = read_file(path, limits.max_bytes);
  return decode_image_bytes(bytes.data(), bytes.size(), limits, path);
}

std::vector<unsigned char> encode_image(const Tensor& image, const std::string& ext_in, int jpeg_quality) {
  std::string ext = ext_in;
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  Tensor rgb = image.dim() == 4 && image.size(0) == 1 ? image.select(0, 0) : image;
  if (rgb.dim() != 3 || rgb.size(0) != 3)
    throw std::invalid_argument("an image to encode must be [3,H,W], got " + shape_str(image.shape()));
  if (ext != ".png" && ext != ".jpg" && ext != ".jpeg")
    throw std::invalid_argument("unknown image format '" + ext + "' (use .png, .jpg or .jpeg)");
  if (jpeg_quality < 1 || jpeg_quality > 100)
    throw std::invalid_argument("JPEG quality must be in 1..100, got " + std::to_string(jpeg_quality));
  rgb = rgb.contiguous();
  const int h = static_cast<int>(rgb.size(1)), w = static_cast<int>(rgb.size(2));
  const int64_t plane = int64_t(w) * h;
  std::vector<unsigned char> pixels(plane * 3);
  for (int64_t i = 0; i < plane; ++i)
    for (int c = 0; c < 3; ++c) {
      const float v = std::clamp(rgb.data()[c * plane + i], 0.f, 1.f) * 255.f;
      pixels[i * 3 + c] = static_cast<unsigned char>(std::nearbyint(v));  // half to even, like the reference
    }
  std::vector<unsigned char> out;
  const auto append = [](void* context, void* data, int size) {
    auto* o = static_cast<std::vector<unsigned char>*>(context);
    o->insert(o->end(), static_cast<unsigned char*>(data), static_cast<unsigned char*>(data) + size);
  };
  const int ok = ext == ".png" ? stbi_write_png_to_func(append, &out, w, h, 3, pixels.data(), w * 3)
                               : stbi_write_jpg_to_func(append, &out, w, h, 3, pixels.data(), jpeg_quality);
  if (!ok) throw std::runtime_error("cannot encode the image");
  return out;
}

void save_image(const std::string& path, const Tensor& image, int jpeg_quality) {
  try {
    const std::vector<unsigned char> bytes = encode_image(image, lower_extension(path), jpeg_quality);
    AtomicFile out(path);
    {
      std::ofstream f(out.temp_path(), std::ios::binary);
      f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
      if (!f.flush()) throw std::runtime_error(path + ": cannot write the image (disk full?)");
    }
    out.commit();
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(path + ": " + e.what());
  }
}

Tensor resize_image(const Tensor& image, int64_t height, int64_t width) {
  if (image.dim() != 3 || image.size(0) != 3)
    throw std::invalid_argument("resize_image needs [3,H,W], got " + shape_str(image.shape()));
  if (height < 1 || width < 1)
    throw std::invalid_argument("cannot resize to " + std::to_string(width) + "x" + std::to_string(height));
  if (image.size(1) == height && image.size(2) == width) return image;
  // stb works on interleaved pixels: [3,H,W] -> [H,W,3] and back.
  Tensor hwc = image.permute({1, 2, 0}).contiguous();
  Tensor out_hwc = Tensor::empty({height, width, 3});
  const int ok = stbir_resize_float_generic(hwc.data(), int(image.size(2)), int(image.size(1)), 0, out_hwc.data(),
                                            int(width), int(height), 0, 3, STBIR_ALPHA_CHANNEL_NONE, 0,
                                            STBIR_EDGE_CLAMP, STBIR_FILTER_CATMULLROM, STBIR_COLORSPACE_LINEAR, nullptr);
  if (!ok) throw std::runtime_error("image resize failed");
  return clamp_unit(out_hwc.permute({2, 0, 1}).contiguous());
}

SizeSpec parse_size(const std::string& text, const std::string& option) {
  SizeSpec s;
  const auto bad = [&] {
    return std::invalid_argument(option + " " + text + ": expected a number (shorter side, 0 = keep) or WxH");
  };
  try {
    const size_t x = text.find('x');
    size_t used = 0;
    if (x != std::string::npos) {
      s.kind = SizeSpec::exact;
      s.width = std::stoll(text.substr(0, x), &used);
      if (used != x) throw bad();
      s.height = std::stoll(text.substr(x + 1), &used);
      if (used != text.size() - x - 1 || s.width < 1 || s.height < 1) throw bad();
    } else {
      s.side = std::stoll(text, &used);
      if (used != text.size() || s.side < 0) throw bad();
      s.kind = s.side == 0 ? SizeSpec::keep : SizeSpec::shorter_side;
    }
  } catch (const std::logic_error&) {
    throw bad();
  }
  return s;
}

std::pair<int64_t, int64_t> target_hw(int64_t h, int64_t w, const SizeSpec& spec) {
  switch (spec.kind) {
    case SizeSpec::keep: return {h, w};
    case SizeSpec::exact: return {spec.height, spec.width};
    case SizeSpec::shorter_side: break;
  }
  const int64_t s = spec.side;
  // The longer side keeps the aspect ratio, rounded to a multiple of 8 (as the reference does).
  const auto longer = [s](int64_t l, int64_t sh) {
    return std::max<int64_t>(8, static_cast<int64_t>(std::nearbyint(double(l) * s / sh / 8.0)) * 8);
  };
  return w <= h ? std::pair{longer(h, w), s} : std::pair{s, longer(w, h)};
}

Tensor load_image_sized(const std::string& path, const SizeSpec& spec, const ImageLimits& limits) {
  Tensor img = load_image(path, limits);
  auto [h, w] = target_hw(img.size(1), img.size(2), spec);
  return resize_image(img, h, w);
}

Tensor mirror_left_right(const Tensor& rgb) {
  const Tensor src = rgb.contiguous();
  const int64_t planes = src.size(0) * src.size(1), w = src.size(2);
  Tensor out = Tensor::empty(src.shape());
  const float* in = src.data();
  float* o = out.data();
  for (int64_t row = 0; row < planes; ++row)
    for (int64_t x = 0; x < w; ++x) o[row * w + x] = in[row * w + (w - 1 - x)];
  return out;
}

}  // namespace gs::data
