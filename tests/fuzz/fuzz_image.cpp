// libFuzzer target: the image loader (signature sniffing, libpng, libjpeg-turbo, BMP checks + stb).
// Small limits keep each run fast; the limits themselves are what is being tested.
#include <exception>

#include "data/image.h"
#include "data/image_decode.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  gs::data::ImageLimits limits;
  limits.max_side = 4096;
  limits.max_pixels = 1 << 20;
  try {
    gs::data::decode_image(data, size, limits, "fuzz");
  } catch (const std::exception&) {
  }
  return 0;
}
