#include "data/model_file.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "data/hdf5_file.h"
#include "tensor/ops.h"

using gs::Tensor;
namespace fs = std::filesystem;
namespace data = gs::data;

namespace {
gs::models::ModelConfig tiny_config() {
  gs::models::ModelConfig c;
  c.widths = {4, 4, 6, 8};
  c.d = 4;
  c.scale_hidden = 4;
  c.upsample = gs::models::UpsampleMode::bilinear;
  c.patch = 3;
  return c;
}

data::NamedTensors random_params(const gs::models::ModelConfig& c) {
  gs::Rng rng(3);
  data::NamedTensors out;
  for (const auto& [name, shape] : gs::models::parameter_shapes(c)) out.push_back({name, Tensor::randn(shape, rng)});
  return out;
}
}  // namespace

TEST_CASE("model file: round trip of configuration and every parameter") {
  const auto c = tiny_config();
  const auto params = random_params(c);
  const std::string path = (fs::temp_directory_path() / "gs_test_model.h5").string();
  data::save_model_file(path, c, params);
  const data::ModelFile m = data::load_model_file(path);
  CHECK(m.config.widths == c.widths);
  CHECK(m.config.upsample == gs::models::UpsampleMode::bilinear);
  CHECK(m.config.patch == 3);
  REQUIRE(m.params.size() == params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    CHECK(m.params[i].first == params[i].first);
    CHECK(gs::max_abs_diff(m.params[i].second, params[i].second) == 0.f);
  }
  fs::remove(path);
}

TEST_CASE("model file: an aggregator family round-trips; a family tensor missing or extra is named") {
  auto c = tiny_config();
  c.family = gs::models::InterFamily::edgeconv;
  const auto params = random_params(c);
  CHECK(params.back().first == "decoder.dec1_1.bias");
  const std::string path = (fs::temp_directory_path() / "gs_test_model_family.h5").string();
  data::save_model_file(path, c, params);
  const data::ModelFile m = data::load_model_file(path);
  CHECK(m.config.family == gs::models::InterFamily::edgeconv);
  REQUIRE(m.params.size() == params.size());
  // Without the family, the same tensors have three too many, and the message names them.
  auto none = tiny_config();
  CHECK_THROWS_WITH_AS(data::check_parameters(params, gs::models::parameter_shapes(none), "f.h5"),
                       doctest::Contains("unexpected inter.edgeconv.W_self, inter.edgeconv.W_edge, inter.edgeconv.bias"),
                       std::runtime_error);
  c.family = gs::models::InterFamily::gin;
  CHECK_THROWS_WITH_AS(data::check_parameters(params, gs::models::parameter_shapes(c), "f.h5"),
                       doctest::Contains("missing inter.gin.eps"), std::runtime_error);
  fs::remove(path);
}

TEST_CASE("model file: canonical names of the real model") {
  const auto shapes = gs::models::parameter_shapes(gs::models::ModelConfig{});
  CHECK(shapes.front().first == "encoder.conv0.weight");
  CHECK(shapes.back().first == "decoder.dec1_1.bias");
  auto find = [&](const std::string& n) {
    for (const auto& [name, s] : shapes)
      if (name == n) return s;
    return gs::Shape{};
  };
  CHECK(find("encoder.conv4_1.weight") == gs::Shape{512, 256, 3, 3});
  CHECK(find("scale.conv1.weight") == gs::Shape{128, 512, 3, 3});
  CHECK(find("inter.Ws") == gs::Shape{64, 512});
  CHECK(find("intra.ak") == gs::Shape{64});
  CHECK(find("decoder.dec4_1.weight") == gs::Shape{256, 512, 3, 3});
  CHECK(shapes.size() == 20 + 4 + 7 + 18);
}

TEST_CASE("model file: missing, extra, mis-shaped and wrongly typed tensors are named") {
  const auto c = tiny_config();
  auto params = random_params(c);
  params.erase(params.begin() + 2);                       // drop encoder.conv1_1.weight
  params.push_back({"decoder.extra", Tensor({1})});
  params[0].second = Tensor({3, 3, 2, 2});                // encoder.conv0.weight mis-shaped
  std::string message;
  try {
    data::check_parameters(params, gs::models::parameter_shapes(c), "m.h5");
  } catch (const std::runtime_error& e) {
    message = e.what();
  }
  CHECK(message.find("m.h5: missing encoder.conv1_1.weight") != std::string::npos);
  CHECK(message.find("encoder.conv0.weight is [3, 3, 2, 2], expected [3, 3, 1, 1]") != std::string::npos);
  CHECK(message.find("unexpected decoder.extra") != std::string::npos);
  const std::string path = (fs::temp_directory_path() / "gs_test_bad_model.h5").string();
  {
    data::H5File f = data::H5File::create(path);
    f.set_attr("/", "format", std::string("something-else"));
  }
  CHECK_THROWS_WITH_AS(data::load_model_file(path), doctest::Contains("not a graphstyle model file"),
                       std::runtime_error);
  fs::remove(path);
}

TEST_CASE("model file: recommended settings round trip, and files without them have none") {
  const auto c = tiny_config();
  const std::string path = (fs::temp_directory_path() / "gs_test_model_rec.h5").string();
  data::save_model_file(path, c, random_params(c));
  const data::RecommendedSettings none = data::load_recommended_settings(path);
  CHECK_FALSE(none.alpha);
  CHECK_FALSE(none.k);
  CHECK_FALSE(none.mix);
  data::RecommendedSettings rec;
  rec.alpha = 0.7;
  rec.k = 3;
  rec.kc = 0;
  rec.stroke = 1.5;
  rec.mix = 0.25;
  data::save_model_file(path, c, random_params(c), rec);
  const data::RecommendedSettings back = data::load_model_file(path).recommended;
  CHECK(*back.alpha == 0.7);
  CHECK(*back.k == 3);
  CHECK(*back.kc == 0);
  CHECK(*back.stroke == 1.5);
  CHECK(*back.mix == 0.25);
  fs::remove(path);
}

TEST_CASE("trained weights: graph and decoder only, float32 exactly or half to within half's rounding") {
  const auto c = tiny_config();
  data::TrainedWeights w;
  w.config = c;
  for (const auto& [name, t] : random_params(c))
    if (name.rfind("encoder.", 0) != 0) w.params.push_back({name, t});
  w.recommended.alpha = 0.5;
  w.provenance = "test run";
  const std::string path = (fs::temp_directory_path() / "gs_test_trained.h5").string();
  for (const bool half : {false, true}) {
    data::save_trained_weights(path, w, half);
    CHECK(data::H5File::open_read(path).dtype("params/decoder.dec1_1.weight") == (half ? "float16" : "float32"));
    const data::TrainedWeights back = data::load_trained_weights(path);
    CHECK(back.config.upsample == c.upsample);
    CHECK(*back.recommended.alpha == 0.5);
    CHECK(back.provenance == "test run");
    REQUIRE(back.params.size() == w.params.size());
    for (size_t i = 0; i < w.params.size(); ++i) {
      INFO(w.params[i].first);
      CHECK(back.params[i].first == w.params[i].first);
      const Tensor& a = w.params[i].second;
      const Tensor& b = back.params[i].second;
      double worst = 0;  // error relative to half's spacing at each value (round to nearest: <= 1/2)
      for (int64_t j = 0; j < a.numel(); ++j)
        worst = std::max(worst, std::abs(double(a.data()[j]) - b.data()[j]) /
                                    std::max(std::abs(double(a.data()[j])) * std::ldexp(1.0, -10), std::ldexp(1.0, -24)));
      CHECK(worst <= (half ? 0.5 + 1e-6 : 0.0));
    }
  }
  // A whole model file is not a trained-weights file, and the other way round.
  data::save_model_file(path + ".model", c, random_params(c));
  CHECK_THROWS_WITH_AS(data::load_trained_weights(path + ".model"), doctest::Contains("not a graphstyle trained-weights file"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(data::load_model_file(path), doctest::Contains("not a graphstyle model file"), std::runtime_error);
  fs::remove(path);
  fs::remove(path + ".model");
}
