// Where the tests find ../shared (golden files, weights, images). The CTest entries set
// GRAPHSTYLE_SHARED; run by hand, the binary falls back to ../shared next to the checkout.
// Files in ../shared are not part of the project: a test that needs them says what it skipped.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <doctest/doctest.h>

namespace gs::test {

inline std::string shared_dir() {
  if (const char* env = std::getenv("GRAPHSTYLE_SHARED")) return env;
  return GRAPHSTYLE_SOURCE_DIR "/../shared";
}

// Path of a file below ../shared, or "" (and a SKIPPED line on stderr) when it is absent.
inline std::string shared_file(const std::string& relative) {
  std::string path = shared_dir() + "/" + relative;
  if (std::filesystem::exists(path)) return path;
  std::fprintf(stderr, "SKIPPED: %s not found; set GRAPHSTYLE_SHARED to the shared folder\n", path.c_str());
  MESSAGE("skipped: " << path << " not found");
  return "";
}

}  // namespace gs::test
