#include "data/atomic_file.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

static std::string read_all(const std::string& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_CASE("atomic file: the old file survives until commit, the temporary never stays") {
  const std::string target = (fs::temp_directory_path() / "gs_test_atomic.txt").string();
  std::ofstream(target) << "good";
  std::string temp;
  {
    gs::data::AtomicFile out(target);
    temp = out.temp_path();
    std::ofstream(temp) << "half-writ";
    CHECK(read_all(target) == "good");  // a crash here leaves the good file
  }  // destroyed without commit: as if the writer threw
  CHECK(read_all(target) == "good");
  CHECK_FALSE(fs::exists(temp));
  {
    gs::data::AtomicFile out(target);
    std::ofstream(out.temp_path()) << "new";
    out.commit();
  }
  CHECK(read_all(target) == "new");
  fs::remove(target);
}

TEST_CASE("atomic file: unwritable or impossible targets are refused up front") {
  CHECK_THROWS_WITH_AS(gs::data::AtomicFile("/nonexistent-dir/out.png"), doctest::Contains("does not exist"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(gs::data::AtomicFile(fs::temp_directory_path().string()), doctest::Contains("directory"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(gs::data::AtomicFile("/proc/out.png"), doctest::Contains("cannot write in folder"), std::runtime_error);
}
