// A model file for the API tests: the tiny seeded model of the training tests (relu4_1 has 8
// channels, p = 3), written to a scratch folder, loaded with options that fit it, plus small smooth
// test images; and the shipped model joined with ../shared's encoder.
#pragma once
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

#include "data/model_file.h"
#include "data/released_weights.h"
#include "data/test_files.h"
#include "graphstyle/graphstyle.hpp"
#include "models/weights.h"
#include "shared_path.h"
#include "train/tiny_training.h"

namespace gs::test {

struct TinyModelFile {
  TempDir dir;
  std::string path = dir.file("tiny.h5");
  explicit TinyModelFile(uint64_t seed = 0) {
    const models::Stylizer m = tiny_model(seed);
    data::save_model_file(path, m.config(), m.named_tensors());
  }
};

// The tiny model loaded; options() are its defaults with k 3 and kc 2, which its small images allow.
struct TinyModel {
  TinyModelFile file;
  graphstyle::Model model;
  explicit TinyModel(uint64_t seed = 0) : file(seed), model(graphstyle::Model::load(file.path)) {}
  graphstyle::StylizeOptions options(graphstyle::Method method = graphstyle::Method::gnn) const {
    graphstyle::StylizeOptions o = model.default_options();
    o.method = method;
    o.k = 3;
    o.kc = 2;
    return o;
  }
};

// The shipped model (models/trained/graphstyle_gnn.h5: graph and decoder) joined with ../shared's
// encoder, as a model file in `dir` without recommended settings; "" (and a SKIPPED line) when
// either is missing.
inline std::string shipped_model_file(const TempDir& dir) {
  const std::string shipped = GRAPHSTYLE_SOURCE_DIR "/models/trained/graphstyle_gnn.h5";
  const std::string vgg = shared_file("weights/vgg_normalised.pth");
  if (vgg.empty()) return "";
  if (!std::filesystem::exists(shipped)) {
    std::fprintf(stderr, "SKIPPED: %s not found\n", shipped.c_str());
    return "";
  }
  const data::TrainedWeights w = data::load_trained_weights(shipped);
  const data::StateDict decoder(w.params.begin(), w.params.end());
  const models::Stylizer joined(
      w.config, models::assemble_params(w.config, data::load_encoder_weights(vgg), {}, decoder, "shipped model"));
  const std::string path = dir.file("shipped.h5");
  data::save_model_file(path, joined.config(), joined.named_tensors());
  return path;
}

inline graphstyle::Image smooth_image(int width, int height, float phase) {
  graphstyle::Image img(width, height);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < 3; ++c)
        img.pixels[3 * (size_t(y) * width + x) + c] = 0.5f + 0.45f * std::sin(0.21f * x + 0.13f * y * (c + 1) + phase);
  return img;
}

}  // namespace gs::test
