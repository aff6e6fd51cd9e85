// Helpers for the data tests: a scratch folder, and a minimal zip writer to craft archives (and
// torch.save zip files) byte by byte.
#pragma once
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "data/zip_reader.h"

namespace gs::test {

// A fresh folder under the system temp dir, removed when the object goes away.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("graphstyle_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// doctest::Contains for a std::string built in the test (it copies the text).
inline doctest::Contains contains(const std::string& text) { return doctest::Contains(text.c_str()); }

inline void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Bytes written like a Python bytes literal, R"(\x80\x02}q\x00)", with \xNN and \n escapes. \xNN is
// always two hex digits (in a C++ literal "\x00a" is one escape), so a Python dump pastes as it is.
inline std::string unescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size() && text[i + 1] == 'x') {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 2, 2)), nullptr, 16));
      i += 3;
    } else if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == 'n') {
      out += '\n';
      i += 1;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Little-endian integer of `width` bytes.
inline std::string le(uint64_t value, int width) {
  std::string s;
  for (int i = 0; i < width; ++i) s += static_cast<char>((value >> (8 * i)) & 0xff);
  return s;
}

struct ZipEntrySpec {
  std::string name;
  std::string data;
  uint16_t method = 0;  // 0 = stored; anything else is only written into the headers
  bool zip64 = false;   // sizes and offset in a zip64 extra field, as for files over 4 GiB
};

// A zip archive with the given entries, laid out as the zip spec (and torch.save) does.
inline std::string make_zip(const std::vector<ZipEntrySpec>& entries) {
  std::string out, directory;
  for (const ZipEntrySpec& e : entries) {
    uint64_t offset = out.size();
    uint32_t crc = gs::data::crc32(e.data);
    out += le(0x04034b50, 4) + le(20, 2) + le(0, 2) + le(e.method, 2) + le(0, 4) + le(crc, 4) + le(e.data.size(), 4) +
           le(e.data.size(), 4) + le(e.name.size(), 2) + le(0, 2) + e.name + e.data;
    std::string extra;
    uint64_t small_size = e.data.size(), small_offset = offset;
    if (e.zip64) {
      extra = le(0x0001, 2) + le(24, 2) + le(e.data.size(), 8) + le(e.data.size(), 8) + le(offset, 8);
      small_size = small_offset = 0xffffffff;
    }
    directory += le(0x02014b50, 4) + le(45, 2) + le(45, 2) + le(0, 2) + le(e.method, 2) + le(0, 4) + le(crc, 4) +
                 le(small_size, 4) + le(small_size, 4) + le(e.name.size(), 2) + le(extra.size(), 2) + le(0, 2) +
                 le(0, 2) + le(0, 2) + le(0, 4) + le(small_offset, 4) + e.name + extra;
  }
  uint64_t directory_offset = out.size();
  out += directory;
  out += le(0x06054b50, 4) + le(0, 2) + le(0, 2) + le(entries.size(), 2) + le(entries.size(), 2) +
         le(directory.size(), 4) + le(directory_offset, 4) + le(0, 2);
  return out;
}

}  // namespace gs::test
