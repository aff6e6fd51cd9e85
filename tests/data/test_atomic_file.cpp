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

TEST_CASE("atomic file: a temporary left by a killed writer is removed by the next writer of that target") {
  const fs::path dir = fs::temp_directory_path() / "gs_test_stale_tmp";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path stale = dir / ".out.tmp99999999.png";    // no process has that id (pid_max is 2^22)
  const fs::path other = dir / ".other.tmp99999999.png";  // another target's: not ours to remove
  std::ofstream(stale) << "half-written";
  std::ofstream(other) << "half-written";
  {
    gs::data::AtomicFile out((dir / "out.png").string());
    std::ofstream(out.temp_path()) << "new";
    out.commit();
  }
  CHECK_FALSE(fs::exists(stale));
  CHECK(fs::exists(other));
  CHECK(fs::exists(dir / "out.png"));
  fs::remove_all(dir);
}
