// A training setup that runs in milliseconds: the fixture's tiny model sizes (widths 4,4,6,8, d = 4,
// scale hidden 4, p = 3) with seeded random weights, and folders of small PNG images.
#pragma once
#include <cmath>
#include <string>
#include <vector>

#include "data/image.h"
#include "data/image_folder.h"
#include "models/init.h"
#include "models/stylizer.h"
#include "train/trainer.h"

namespace gs::test {

inline models::ModelConfig tiny_config() {
  models::ModelConfig c;
  c.widths = {4, 4, 6, 8};
  c.d = 4;
  c.scale_hidden = 4;
  c.patch = 3;
  return c;
}

// Encoder convs at PyTorch's default init, graph and decoder as a training run starts them.
inline models::Stylizer tiny_model(uint64_t seed = 0) {
  const models::ModelConfig c = tiny_config();
  Rng rng(seed + 100);
  data::NamedTensors params;
  for (const auto& [name, shape] : models::encoder_shapes(c)) {
    const int64_t fan_in = name.ends_with(".weight") ? shape[1] * shape[2] * shape[3] : 0;
    const float bound = fan_in ? 1.f / std::sqrt(float(fan_in)) : 0.1f;
    params.push_back({name, Tensor::uniform(shape, rng, -bound, bound)});
  }
  for (auto& p : models::init_graph_params(c, seed)) params.push_back(p);
  for (auto& p : models::init_decoder_params(c, seed + 1)) params.push_back(p);
  return models::Stylizer(c, params);
}

// `count` distinct smooth colour images of height x width in `folder` (img0.png, img1.png, ...).
inline std::vector<std::string> write_images(const std::string& folder, int count, int64_t height, int64_t width,
                                             uint64_t seed) {
  std::vector<std::string> files;
  Rng rng(seed);
  for (int i = 0; i < count; ++i) {
    Tensor img = Tensor::empty({3, height, width});
    for (int64_t c = 0; c < 3; ++c) {
      const float fy = rng.uniform(0.1f, 0.6f), fx = rng.uniform(0.1f, 0.6f), phase = rng.uniform(0.f, 6.f);
      for (int64_t y = 0; y < height; ++y)
        for (int64_t x = 0; x < width; ++x)
          img.set({c, y, x}, 0.5f + 0.4f * std::sin(fy * float(y) + fx * float(x) + phase + rng.uniform(0.f, 0.3f)));
    }
    files.push_back(folder + "/img" + std::to_string(i) + ".png");
    data::save_image(files.back(), img);
  }
  return files;
}

// Trainer options for the tiny model on 32x32 crops (relu4_1 4x4: 4 patches of 3x3).
inline train::TrainerOptions tiny_options(const std::string& content_dir, const std::string& style_dir,
                                          const std::string& out_dir) {
  train::TrainerOptions o;
  o.content_files = data::list_images(content_dir, "--content");
  o.style_files = data::list_images(style_dir, "--style");
  o.out_dir = out_dir;
  o.batch = 2;
  o.resize = 36;
  o.crop = 32;
  o.steps = 10;
  o.save_every = 0;
  o.preview_every = 0;
  o.adam.lr = 1e-3f;
  o.step.graph.p = 3;
  o.step.graph.k = 3;
  o.step.graph.kc = 2;
  return o;
}

inline bool never() { return false; }

}  // namespace gs::test
