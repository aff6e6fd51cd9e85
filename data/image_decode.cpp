#include "data/image_decode.h"

#include <jpeglib.h>
#include <png.h>
#include <stb/stb_image.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "data/image.h"

namespace gs::data {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
  throw std::runtime_error(path + ": " + problem);
}

void check_size(int64_t w, int64_t h, const ImageLimits& limits, const std::string& path) {
  if (w < 1 || h < 1) fail(path, "image is " + std::to_string(w) + "x" + std::to_string(h) + ": empty");
  if (w > limits.max_side || h > limits.max_side || w * h > limits.max_pixels)
    fail(path, "image is " + std::to_string(w) + "x" + std::to_string(h) + ", larger than the limit of " +
                   std::to_string(limits.max_side) + " pixels a side and " + std::to_string(limits.max_pixels) +
                   " pixels in all");
}

// ---- PNG (libpng's simplified API: it handles every PNG variant and reports errors as text) ----

Rgb8 decode_png(const unsigned char* bytes, size_t size, const ImageLimits& limits, const std::string& path) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, bytes, size))
    fail(path, std::string("not a readable PNG image: ") + image.message);
  struct Free {
    png_image* p;
    ~Free() { png_image_free(p); }
  } guard{&image};
  check_size(image.width, image.height, limits, path);
  image.format = PNG_FORMAT_RGBA;  // gray is replicated; alpha is dropped below, not composited
  std::vector<unsigned char> rgba(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, rgba.data(), 0, nullptr))
    fail(path, std::string("truncated or corrupt PNG image: ") + image.message);
  Rgb8 out;
  out.width = image.width;
  out.height = image.height;
  out.pixels.resize(static_cast<size_t>(out.width * out.height * 3));
  for (int64_t i = 0, n = out.width * out.height; i < n; ++i)
    for (int c = 0; c < 3; ++c) out.pixels[i * 3 + c] = rgba[i * 4 + c];
  return out;
}

// ---- JPEG (libjpeg-turbo; errors longjmp out of the library, so no C++ object lives across it) ----

struct JpegError {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  int warnings;
};

void jpeg_error_exit(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegError*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

// libjpeg treats a truncated file or corrupt data as a warning and fills in grey; we refuse it.
void jpeg_emit_message(j_common_ptr cinfo, int level) {
  auto* err = reinterpret_cast<JpegError*>(cinfo->err);
  if (level < 0 && err->warnings++ == 0) (*cinfo->err->format_message)(cinfo, err->message);
}

// Progressive JPEGs may hold thousands of tiny scans, each a pass over the whole image: a file of a
// few kilobytes could keep the decoder busy for minutes. Real files have at most a few dozen.
constexpr int kMaxJpegScans = 100;
void jpeg_progress(j_common_ptr cinfo) {
  auto* d = reinterpret_cast<j_decompress_ptr>(cinfo);
  if (d->input_scan_number > kMaxJpegScans) {
    auto* err = reinterpret_cast<JpegError*>(cinfo->err);
    std::snprintf(err->message, sizeof err->message, "more than %d progressive scans", kMaxJpegScans);
    std::longjmp(err->jump, 1);
  }
}

// 0 on success; otherwise `err->message` says why. `out` is malloc'd, the caller frees it.
int decode_jpeg_c(const unsigned char* bytes, size_t size, int64_t max_side, int64_t max_pixels, JpegError* err,
                  unsigned char** out, int64_t* width, int64_t* height) {
  jpeg_decompress_struct cinfo;
  jpeg_progress_mgr progress;
  *out = nullptr;
  cinfo.err = jpeg_std_error(&err->mgr);
  err->mgr.error_exit = jpeg_error_exit;
  err->mgr.emit_message = jpeg_emit_message;
  err->warnings = 0;
  err->message[0] = 0;
  if (setjmp(err->jump)) {
    jpeg_destroy_decompress(&cinfo);
    std::free(*out);
    *out = nullptr;
    return 1;
  }
  jpeg_create_decompress(&cinfo);
  progress.progress_monitor = jpeg_progress;
  cinfo.progress = &progress;
  cinfo.mem->max_memory_to_use = 512L << 20;
  jpeg_mem_src(&cinfo, bytes, static_cast<unsigned long>(size));
  jpeg_read_header(&cinfo, TRUE);
  const int64_t w = cinfo.image_width, h = cinfo.image_height;
  if (w < 1 || h < 1 || w > max_side || h > max_side || w * h > max_pixels) {
    std::snprintf(err->message, sizeof err->message, "size %lldx%lld", (long long)w, (long long)h);
    jpeg_destroy_decompress(&cinfo);
    *width = w;
    *height = h;
    return 2;
  }
  cinfo.out_color_space = JCS_RGB;
  jpeg_start_decompress(&cinfo);
  if (cinfo.output_components != 3 || (int64_t)cinfo.output_width != w || (int64_t)cinfo.output_height != h) {
    std::snprintf(err->message, sizeof err->message, "unexpected decoder output layout");
    jpeg_destroy_decompress(&cinfo);
    return 1;
  }
  *out = static_cast<unsigned char*>(std::malloc(static_cast<size_t>(w * h * 3)));
  if (!*out) {
    std::snprintf(err->message, sizeof err->message, "out of memory");
    jpeg_destroy_decompress(&cinfo);
    return 1;
  }
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = *out + static_cast<size_t>(cinfo.output_scanline) * static_cast<size_t>(w) * 3;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  *width = w;
  *height = h;
  return 0;
}

Rgb8 decode_jpeg(const unsigned char* bytes, size_t size, const ImageLimits& limits, const std::string& path) {
  JpegError err;
  unsigned char* pixels = nullptr;
  int64_t w = 0, h = 0;
  const int rc = decode_jpeg_c(bytes, size, limits.max_side, limits.max_pixels, &err, &pixels, &w, &h);
  if (rc == 2) check_size(w, h, limits, path);
  if (rc != 0) fail(path, std::string("truncated or corrupt JPEG image: ") + err.message);
  Rgb8 out;
  out.width = w;
  out.height = h;
  out.pixels.assign(pixels, pixels + w * h * 3);
  std::free(pixels);
  if (err.warnings) fail(path, std::string("truncated or corrupt JPEG image: ") + err.message);
  return out;
}

// ---- BMP (stb_image, after the checks stb does not make: it zero-fills a truncated file) ----

uint32_t le(const unsigned char* p, int n) {
  uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

Rgb8 decode_bmp(const unsigned char* bytes, size_t size, const ImageLimits& limits, const std::string& path) {
  constexpr size_t kFileHeader = 14;
  if (size < kFileHeader + 40) fail(path, "truncated BMP image (" + std::to_string(size) + " bytes)");
  const uint32_t data_offset = le(bytes + 10, 4);
  const uint32_t header_size = le(bytes + 14, 4);
  if (header_size != 40 && header_size != 52 && header_size != 56 && header_size != 108 && header_size != 124)
    fail(path, "BMP with a " + std::to_string(header_size) + "-byte header; expected a Windows BMP (40..124)");
  const int64_t w = static_cast<int32_t>(le(bytes + 18, 4));
  const int64_t signed_h = static_cast<int32_t>(le(bytes + 22, 4));
  const int64_t h = signed_h < 0 ? -signed_h : signed_h;  // negative: rows stored top-down
  const uint32_t planes = le(bytes + 26, 2), bpp = le(bytes + 28, 2), compression = le(bytes + 30, 4);
  check_size(w, h, limits, path);
  const bool plain = compression == 0 && (bpp == 1 || bpp == 4 || bpp == 8 || bpp == 24 || bpp == 32);
  const bool bitfields = compression == 3 && (bpp == 16 || bpp == 32);
  if (planes != 1 || !(plain || bitfields))
    fail(path, "BMP with " + std::to_string(bpp) + " bits per pixel and compression " + std::to_string(compression) +
                   "; expected uncompressed 1, 4, 8, 24 or 32-bit pixels");
  const uint64_t stride = (static_cast<uint64_t>(w) * bpp + 31) / 32 * 4;
  if (data_offset < kFileHeader + header_size || data_offset > size || stride * h > size - data_offset)
    fail(path, "truncated BMP image: " + std::to_string(w) + "x" + std::to_string(h) + " at " + std::to_string(bpp) +
                   " bits needs " + std::to_string(stride * h) + " bytes of pixels from byte " +
                   std::to_string(data_offset) + ", the file has " + std::to_string(size));
  int sw = 0, sh = 0, channels = 0;
  unsigned char* pixels = stbi_load_from_memory(bytes, static_cast<int>(size), &sw, &sh, &channels, 3);
  if (!pixels) fail(path, std::string("corrupt BMP image: ") + stbi_failure_reason());
  Rgb8 out;
  out.width = sw;
  out.height = sh;
  out.pixels.assign(pixels, pixels + static_cast<size_t>(sw) * sh * 3);
  stbi_image_free(pixels);
  if (sw != w || sh != h) fail(path, "corrupt BMP image (the decoder disagrees with its header on the size)");
  return out;
}

}  // namespace

ImageFormat sniff_image_format(const unsigned char* b, size_t n) {
  if (n >= 8 && std::memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0) return ImageFormat::png;
  if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return ImageFormat::jpeg;
  if (n >= 2 && b[0] == 'B' && b[1] == 'M') return ImageFormat::bmp;
  return ImageFormat::unknown;
}

Rgb8 decode_image(const unsigned char* bytes, size_t size, const ImageLimits& limits, const std::string& path) {
  switch (sniff_image_format(bytes, size)) {
    case ImageFormat::png: return decode_png(bytes, size, limits, path);
    case ImageFormat::jpeg: return decode_jpeg(bytes, size, limits, path);
    case ImageFormat::bmp: return decode_bmp(bytes, size, limits, path);
    case ImageFormat::unknown: break;
  }
  fail(path, size == 0 ? "empty file, expected a PNG, JPEG or BMP image"
                       : "not a PNG, JPEG or BMP image (the file's first bytes are none of their signatures)");
}

}  // namespace gs::data
