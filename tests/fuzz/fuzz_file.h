// Shared by the fuzz targets: the readers under test take a path, so each input is written to a
// scratch file of this process first.
#pragma once
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace gs::fuzz {

inline std::string scratch_file(const uint8_t* data, size_t size, const char* extension) {
  static const std::string path = "/tmp/graphstyle_fuzz_" + std::to_string(getpid()) + extension;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  return path;
}

}  // namespace gs::fuzz
