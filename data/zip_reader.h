// ZipReader: reads the entries of a zip archive, as torch.save (PyTorch >= 1.6) writes them, through
// libzip (fuzzed continuously upstream) rather than a parser of our own.
// Read-only, and only STORED (uncompressed) entries: torch.save never compresses, so a compressed
// entry means the file did not come from torch.save and is refused rather than inflated (which also
// keeps libzip's decompressors out of reach of hostile files).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

struct zip;

namespace gs::data {

// CRC-32 (the zip / PNG polynomial) of `bytes` (zlib's); the tests craft archives with it.
uint32_t crc32(std::string_view bytes);

class ZipReader {
 public:
  // Opens `path` and reads its central directory, with libzip's consistency checks (the local
  // headers must agree with the central directory). Throws std::runtime_error naming the file when
  // it is missing, a directory, or not a (complete) zip archive.
  explicit ZipReader(const std::string& path);
  ~ZipReader();
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  const std::string& path() const { return path_; }
  // Entry names in central-directory order.
  std::vector<std::string> names() const;
  bool has(const std::string& name) const;
  // Size in bytes of an entry's contents.
  uint64_t size(const std::string& name) const;
  // The contents of an entry. Throws for an unknown or compressed entry, a size larger than the
  // file itself (checked before allocating), data outside the file, or a CRC mismatch.
  std::string read(const std::string& name);

 private:
  struct Entry {
    std::string name;
    uint64_t index = 0;
    uint16_t method = 0;  // 0 = stored, 8 = deflate, ...
    uint64_t compressed_size = 0;
    uint64_t size = 0;
  };

  const Entry& entry(const std::string& name) const;
  [[noreturn]] void fail(const std::string& problem) const;

  std::string path_;
  uint64_t file_size_ = 0;
  ::zip* archive_ = nullptr;
  std::vector<Entry> entries_;
};

}  // namespace gs::data
