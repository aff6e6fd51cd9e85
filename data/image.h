// Image files: PNG, JPEG and uncompressed BMP in (data/image_decode.h: libpng, libjpeg-turbo, stb
// for BMP; the format is taken from the file's signature), PNG and JPEG out (stb_image_write).
// In memory an image is a [3,H,W] float tensor, RGB in [0,1]; grayscale is replicated and alpha
// dropped on load, values are clamped and rounded (half to even) on save.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tensor/tensor.h"

namespace gs::data {

struct ImageLimits {
  int64_t max_side = 16384;           // pixels on either side
  int64_t max_pixels = 64'000'000;    // width * height
  int64_t max_bytes = 512 << 20;      // the file itself
};

// The dimensions are read and checked against the limits before anything is decoded, so a huge
// or hostile file is refused without allocating for it.
Tensor load_image(const std::string& path, const ImageLimits& limits = {});

// The same from bytes in memory (an upload); errors name `name`.
Tensor decode_image_bytes(const unsigned char* bytes, size_t size, const ImageLimits& limits, const std::string& name);

// Format by extension (.png, .jpg/.jpeg); written atomically. rgb: [3,H,W] or [1,3,H,W].
void save_image(const std::string& path, const Tensor& rgb, int jpeg_quality = 95);
// The bytes save_image writes, in memory: `extension` is .png, .jpg or .jpeg.
std::vector<unsigned char> encode_image(const Tensor& rgb, const std::string& extension, int jpeg_quality = 95);

// rgb: [3,H,W] -> [3,height,width], Catmull-Rom (bicubic) filter, edges clamped.
Tensor resize_image(const Tensor& rgb, int64_t height, int64_t width);

// rgb: [C,H,W] -> [C,H,W], column x taken from column W-1-x (training's flip augmentation).
Tensor mirror_left_right(const Tensor& rgb);

// --size: "512" = shorter side 512 and the other side scaled and rounded to a multiple of 8;
// "320x240" = exactly W x H; "0" = keep the file's size.
struct SizeSpec {
  enum Kind { keep, shorter_side, exact } kind = keep;
  int64_t width = 0, height = 0, side = 0;
};
SizeSpec parse_size(const std::string& text, const std::string& option_name);
std::pair<int64_t, int64_t> target_hw(int64_t height, int64_t width, const SizeSpec& spec);  // (H, W)

// load_image + resize to the spec.
Tensor load_image_sized(const std::string& path, const SizeSpec& spec, const ImageLimits& limits = {});

}  // namespace gs::data
