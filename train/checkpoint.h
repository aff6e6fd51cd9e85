// Training checkpoints (HDF5): a model file (so `graphstyle stylize --model CKPT` works on one) plus
// the optimiser's moments, the step, and the data loaders' positions, which with the seed fix every
// later batch. Written atomically: a crash mid-write leaves the previous checkpoint intact.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "data/model_file.h"

namespace gs::train {

struct TrainingState {
  int64_t step = 0;              // optimiser steps done
  int64_t content_position = 0;  // samples handed out by each loader
  int64_t style_position = 0;
  uint64_t seed = 0;
};

// The options that define a run (name -> value as typed, e.g. {"batch", "8"}), so that a resumed run
// can take them from the checkpoint instead of asking the user to repeat them exactly.
using RunSettings = std::vector<std::pair<std::string, std::string>>;

struct Checkpoint {
  data::ModelFile model;
  data::NamedTensors adam_m, adam_v;  // by trainable-parameter name; empty before the first step
  TrainingState state;
  RunSettings settings;
};

void save_checkpoint(const std::string& path, const Checkpoint& checkpoint);
Checkpoint load_checkpoint(const std::string& path);  // errors name the file and what is missing

}  // namespace gs::train
