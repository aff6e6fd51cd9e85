#include <doctest/doctest.h>

#include <filesystem>

#include "tensor/ops.h"
#include "train/checkpoint.h"

namespace fs = std::filesystem;
using gs::Tensor;

TEST_CASE("checkpoint: round trip of model, optimiser moments and training state; model files are refused") {
  gs::train::Checkpoint ck;
  ck.model.config.widths = {4, 4, 6, 8};
  ck.model.config.d = 4;
  ck.model.config.scale_hidden = 4;
  gs::Rng rng(1);
  for (const auto& [name, shape] : gs::models::parameter_shapes(ck.model.config))
    ck.model.params.push_back({name, Tensor::randn(shape, rng)});
  ck.adam_m.push_back({"inter.ac", Tensor::randn({4}, rng)});
  ck.adam_v.push_back({"inter.ac", [&] { Tensor r = Tensor::randn({4}, rng); return gs::mul(r, r); }()});  // a mean of squares
  ck.state = {.step = 10, .content_position = 80, .style_position = 80, .seed = 18446744073709551557ULL};
  ck.settings = {{"--content", "/data/coco train"}, {"--lr", "0.0001"}, {"--empty", ""}};
  const std::string path = (fs::temp_directory_path() / "gs_test_ckpt.h5").string();
  gs::train::save_checkpoint(path, ck);
  const auto back = gs::train::load_checkpoint(path);
  CHECK(back.state.step == 10);
  CHECK(back.state.style_position == 80);
  CHECK(back.state.seed == 18446744073709551557ULL);
  CHECK(back.settings == ck.settings);
  REQUIRE(back.adam_v.size() == 1);
  CHECK(gs::max_abs_diff(back.adam_v[0].second, ck.adam_v[0].second) == 0.f);
  CHECK(back.model.params.size() == ck.model.params.size());
  // A checkpoint is also a model file.
  CHECK(gs::data::load_model_file(path).params.size() == ck.model.params.size());
  const std::string model = (fs::temp_directory_path() / "gs_test_model_only.h5").string();
  gs::data::save_model_file(model, ck.model.config, ck.model.params);
  CHECK_THROWS_WITH_AS(gs::train::load_checkpoint(model), doctest::Contains("not a training checkpoint"),
                       std::runtime_error);
  fs::remove(path);
  fs::remove(model);
}
