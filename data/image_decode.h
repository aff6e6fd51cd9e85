// Decoders for the image formats graphstyle reads, chosen by the file's signature (never by its
// extension): PNG through libpng, JPEG through libjpeg-turbo (both hardened and fuzzed upstream),
// uncompressed BMP through stb_image after its header and size have been checked here. Anything
// else (GIF, PSD, HDR, PNM, ...) is refused before any decoder sees it.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace gs::data {

struct ImageLimits;

struct Rgb8 {
  int64_t width = 0, height = 0;
  std::vector<unsigned char> pixels;  // [H,W,3], interleaved
};

enum class ImageFormat { png, jpeg, bmp, unknown };
ImageFormat sniff_image_format(const unsigned char* bytes, size_t size);

// Dimensions are read and checked against `limits` before any pixel memory is allocated; a
// truncated or corrupt file is an error, never a partly grey image. Errors name `path`.
Rgb8 decode_image(const unsigned char* bytes, size_t size, const ImageLimits& limits, const std::string& path);

}  // namespace gs::data
