// ZipReader: reads the entries of a zip archive, as torch.save (PyTorch >= 1.6) writes them.
// Read-only, and only STORED (uncompressed) entries: torch.save never compresses, so a compressed
// entry means the file did not come from torch.save and is refused rather than inflated.
// Archives over 4 GiB (zip64 end records and extra fields) are understood.
#pragma once
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace gs::data {

// CRC-32 (the zip / PNG polynomial) of `bytes`; the reader checks every entry against it.
uint32_t crc32(std::string_view bytes);

class ZipReader {
 public:
  // Opens `path` and reads its central directory. Throws std::runtime_error naming the file when it
  // is missing, a directory, or not a (complete) zip archive.
  explicit ZipReader(const std::string& path);

  const std::string& path() const { return path_; }
  // Entry names in central-directory order.
  std::vector<std::string> names() const;
  bool has(const std::string& name) const;
  // Size in bytes of an entry's contents.
  uint64_t size(const std::string& name) const;
  // The contents of an entry. Throws for an unknown or compressed entry, data outside the file, or
  // a CRC mismatch.
  std::string read(const std::string& name);

 private:
  struct Entry {
    std::string name;
    uint16_t method = 0;  // 0 = stored, 8 = deflate, ...
    uint32_t crc = 0;
    uint64_t compressed_size = 0;
    uint64_t uncompressed_size = 0;
    uint64_t local_header_offset = 0;
  };

  const Entry& entry(const std::string& name) const;
  std::string read_at(uint64_t offset, uint64_t count, const char* what);
  void read_central_directory();
  [[noreturn]] void fail(const std::string& problem) const;

  std::string path_;
  std::ifstream file_;
  uint64_t file_size_ = 0;
  std::vector<Entry> entries_;
};

}  // namespace gs::data
