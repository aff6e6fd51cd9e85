#include "data/batch_loader.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "data/image.h"
#include "data/image_folder.h"
#include "tensor/ops.h"

using gs::Tensor;
namespace fs = std::filesystem;
namespace data = gs::data;

namespace {
// A folder of small distinct images (one a nested subfolder) plus one corrupt file.
std::string make_folder() {
  const fs::path dir = fs::temp_directory_path() / "gs_test_loader";
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  for (int i = 0; i < 5; ++i) {
    Tensor img = Tensor::full({3, 40 + 4 * i, 48}, 0.1f * float(i));
    img.set({0, 0, 0}, 1.f);
    data::save_image((dir / (i == 4 ? "sub" : "") / ("img" + std::to_string(i) + ".png")).string(), img);
  }
  std::ofstream(dir / "broken.jpg") << "not a jpeg";
  std::ofstream(dir / "notes.txt") << "ignored";
  return dir.string();
}
}  // namespace

TEST_CASE("batch loader: folder listing is recursive and sorted; empty folders are an error") {
  const std::string dir = make_folder();
  const auto files = data::list_images(dir, "--content");
  CHECK(files.size() == 6);  // 5 PNG + the broken .jpg; not the .txt
  CHECK(std::is_sorted(files.begin(), files.end()));
  fs::create_directories(dir + "/empty");
  CHECK_THROWS_WITH_AS(data::list_images(dir + "/empty", "--style"), doctest::Contains("--style"), std::runtime_error);
  CHECK_THROWS_WITH_AS(data::list_images(dir + "/nope", "--style"), doctest::Contains("no such file"),
                       std::runtime_error);
}

TEST_CASE("batch loader: the same batches whatever the workers; seek resumes exactly; bad files skipped") {
  const std::string dir = make_folder();
  const auto files = data::list_images(dir, "--content");
  data::LoaderOptions opt{.batch = 3, .resize = 32, .crop = 24, .seed = 7, .workers = 1};
  std::vector<Tensor> one;
  {
    data::BatchLoader loader(files, opt, "content");
    for (int i = 0; i < 4; ++i) one.push_back(loader.next());
    CHECK(loader.position() == 12);
    CHECK(loader.skipped_files() == 1);
  }
  CHECK(one[0].shape() == gs::Shape{3, 3, 24, 24});
  opt.workers = 3;
  data::BatchLoader loader(files, opt, "content");
  for (int i = 0; i < 4; ++i) CHECK(gs::max_abs_diff(loader.next(), one[i]) == 0.f);
  loader.seek(6);
  CHECK(gs::max_abs_diff(loader.next(), one[2]) == 0.f);
  CHECK(gs::max_abs_diff(loader.next(), one[3]) == 0.f);
  CHECK_THROWS_AS(loader.seek(4), std::invalid_argument);
  // Different seeds give different crops/order.
  opt.seed = 8;
  data::BatchLoader other(files, opt, "content");
  CHECK(gs::max_abs_diff(other.next(), one[0]) > 0.f);
}

TEST_CASE("batch loader: multi-scale crops and flips follow from (seed, n), and change the crops") {
  const std::string dir = make_folder();
  const auto files = data::list_images(dir, "--content");
  const data::LoaderOptions plain{.batch = 2, .resize = 40, .crop = 24, .seed = 3, .workers = 1};
  data::LoaderOptions augmented = plain;
  augmented.resize_min = 24;
  augmented.flip = true;
  std::vector<Tensor> first, plain_batches;
  {
    data::BatchLoader loader(files, augmented, "content");
    data::BatchLoader reference(files, plain, "content");
    for (int i = 0; i < 6; ++i) {
      first.push_back(loader.next());
      plain_batches.push_back(reference.next());
    }
  }
  data::LoaderOptions two_workers = augmented;
  two_workers.workers = 2;
  data::BatchLoader again(files, two_workers, "content");
  again.seek(4);
  CHECK(gs::max_abs_diff(again.next(), first[2]) == 0.f);
  bool any_differs = false;
  for (int i = 0; i < 6; ++i) any_differs |= gs::max_abs_diff(first[i], plain_batches[i]) > 0.f;
  CHECK(any_differs);
  // resize_min outside [crop, resize] is refused.
  data::LoaderOptions bad = plain;
  bad.resize_min = 20;
  CHECK_THROWS_WITH_AS(data::BatchLoader(files, bad, "content"), doctest::Contains("resize_min"),
                       std::invalid_argument);
}

TEST_CASE("batch loader: shards are contiguous slices of the same batches, at the same positions") {
  const std::string dir = make_folder();
  const auto files = data::list_images(dir, "--content");
  const data::LoaderOptions whole{.batch = 4, .resize = 40, .flip = true, .crop = 24, .seed = 5, .workers = 1};
  data::BatchLoader all(files, whole, "--content");
  data::LoaderOptions first = whole, second = whole;
  first.shard_size = second.shard_size = 2;
  second.shard_begin = 2;
  data::BatchLoader a(files, first, "--content"), b(files, second, "--content");
  b.seek(4);  // a resumed shard starts at the same global position
  const Tensor batch0 = all.next(), batch1 = all.next();
  const Tensor a0 = a.next();
  CHECK(a0.size(0) == 2);
  CHECK(gs::max_abs_diff(a0, batch0.slice(0, 0, 2)) == 0.f);
  CHECK(gs::max_abs_diff(b.next(), batch1.slice(0, 2, 4)) == 0.f);
  CHECK(a.position() == 4);
  data::LoaderOptions outside = second;
  outside.shard_begin = 3;
  CHECK_THROWS_WITH_AS(data::BatchLoader(files, outside, "--content"), doctest::Contains("shard"),
                       std::invalid_argument);
}

TEST_CASE("image: mirror_left_right reverses the columns of every channel") {
  Tensor img = Tensor::zeros({2, 2, 3});
  img.set({0, 0, 0}, 1.f);
  img.set({1, 1, 1}, 2.f);
  const Tensor m = data::mirror_left_right(img);
  CHECK(m.at({0, 0, 2}) == 1.f);
  CHECK(m.at({0, 0, 0}) == 0.f);
  CHECK(m.at({1, 1, 1}) == 2.f);
  CHECK(gs::max_abs_diff(data::mirror_left_right(m), img) == 0.f);
}
