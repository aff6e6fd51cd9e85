// A model file for the API tests: the tiny seeded model of the training tests (relu4_1 has 8
// channels, p = 3), written to a scratch folder, plus small smooth test images.
#pragma once
#include <cmath>
#include <string>

#include "data/model_file.h"
#include "data/test_files.h"
#include "graphstyle/graphstyle.hpp"
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

inline graphstyle::Image smooth_image(int width, int height, float phase) {
  graphstyle::Image img(width, height);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < 3; ++c)
        img.pixels[3 * (size_t(y) * width + x) + c] = 0.5f + 0.45f * std::sin(0.21f * x + 0.13f * y * (c + 1) + phase);
  return img;
}

}  // namespace gs::test
