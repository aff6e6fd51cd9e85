#include "data/hdf5_file.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "data/atomic_file.h"
#include "shared_path.h"

using gs::Tensor;
using gs::data::H5File;
namespace fs = std::filesystem;

TEST_CASE("hdf5: round trip") {
  const std::string path = (fs::temp_directory_path() / "gs_test_hdf5_roundtrip2.h5").string();
  {
    gs::data::AtomicFile out(path);
    {
      H5File f = H5File::create(out.temp_path());
      f.write_tensor("params/inter.Wc", Tensor({2, 3}, {1, 2, 3, 4, 5, 6}));
      f.write_tensor("params/scalar", Tensor::scalar(2.5f));
      f.write_i64("edges", {2, 2}, {0, 1, 2, 3});
      f.set_attr("/", "format", std::string("graphstyle-model"));
      f.set_attr("/", "p", int64_t{5});
      f.set_attr("/", "s_min", 0.5);
      f.set_attr("/", "p", int64_t{7});
    }
    out.commit();
  }
  H5File f = H5File::open_read(path);
  CHECK(f.exists("params/inter.Wc"));
  CHECK_FALSE(f.exists("params/nothing"));
  CHECK_FALSE(f.exists("nowhere/deeper"));
  CHECK(f.members("params") == std::vector<std::string>{"inter.Wc", "scalar"});
  CHECK(f.read_tensor("params/inter.Wc").to_vector() == std::vector<float>{1, 2, 3, 4, 5, 6});
  CHECK(f.read_tensor("params/scalar").item() == 2.5f);
  gs::Shape shape;
  CHECK(f.read_i64("edges", &shape) == std::vector<int64_t>{0, 1, 2, 3});
  CHECK(shape == gs::Shape{2, 2});
  CHECK(f.attr_string("/", "format") == "graphstyle-model");
  CHECK(f.attr_int("/", "p") == 7);
  CHECK(f.attr_double("/", "s_min") == 0.5);
  CHECK_THROWS_WITH_AS(f.read_tensor("params/missing"), doctest::Contains("params/missing"), std::runtime_error);
  CHECK_THROWS_WITH_AS(f.attr_string("/", "nope"), doctest::Contains("nope"), std::runtime_error);
  fs::remove(path);
}

TEST_CASE("hdf5: clear errors for files that are not HDF5") {
  CHECK_THROWS_WITH_AS(H5File::open_read("/nonexistent/x.h5"), doctest::Contains("no such file"), std::runtime_error);
  CHECK_THROWS_WITH_AS(H5File::open_read(fs::temp_directory_path().string()), doctest::Contains("directory"),
                       std::runtime_error);
  const std::string text = (fs::temp_directory_path() / "gs_test_not_hdf5.h5").string();
  std::ofstream(text) << "hello";
  CHECK_THROWS_WITH_AS(H5File::open_read(text), doctest::Contains("not an HDF5 file"), std::runtime_error);
  fs::remove(text);
}

TEST_CASE("hdf5: reads the PyTorch golden files (strings, float64, bool attributes)") {
  const std::string path = gs::test::shared_file("fixtures/adain_alpha.h5");
  if (path.empty()) return;
  H5File f = H5File::open_golden(path);
  CHECK(f.attr_string("/", "op") == "adain");
  CHECK(f.attr_double("/", "alpha") == doctest::Approx(0.6));
  CHECK(f.shape("inputs/content") == gs::Shape{1, 3, 6, 5});
  CHECK(f.attr_double("f32", "max_abs_diff/outputs/y") < 1e-4);
  const std::string stage = gs::test::shared_file("fixtures/graph_stage_default.h5");
  if (stage.empty()) return;
  CHECK(H5File::open_golden(stage).attr_int("/", "deformable") == 1);
}
