// The training loop behind `graphstyle train` (MODEL.md 4): batches of random crops from two image
// folders, one train_step per batch, and in the output folder
//   log.csv                  one row per step (train/training_log.h)
//   checkpoint.h5            every save_every steps, when stopped, and at the end (atomic)
//   preview_<step>.png       every preview_every steps and at the end (train/preview.h)
//   model.h5                 the trained model, when the run reaches its last step
//
// Determinism: the batches follow from the seed and the loaders' positions, the parameter
// initialisation from the seed, and every kernel is run-to-run reproducible at a fixed thread count.
// So a run resumed from a checkpoint repeats an uninterrupted run's steps bit for bit.
//
// Data parallelism (train/distributed.h): under mpirun every rank runs train() on its slice of each
// global batch of `batch`; the gradients and losses are averaged over the ranks, and rank 0 alone writes
// the files above. The checkpoint is the same whatever the number of ranks.
//
// A step whose loss or gradient is NaN or Inf stops the run with TrainingDiverged; nothing is saved
// after it, so checkpoint.h5 stays the last good state.
#pragma once
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "data/batch_loader.h"
#include "models/stylizer.h"
#include "train/adam.h"
#include "train/checkpoint.h"
#include "train/train_step.h"

namespace gs::train {

struct TrainerOptions {
  std::vector<std::string> content_files, style_files;  // data::list_images of the two folders
  std::string out_dir;
  int64_t steps = 1000;       // the run ends after this many steps in all (resumed runs included)
  int64_t save_every = 1000;  // 0: checkpoint only when stopped and at the end
  int64_t preview_every = 0;  // 0: no previews
  int preview_pairs = 2;      // the preview grid's content and style images
  int64_t batch = 8, resize = 512, crop = 256;
  // Augmentation for small data sets: each sample's shorter side is drawn uniformly from
  // [resize_min, resize] (0: always `resize`), and it is mirrored left-right with probability 1/2 when `flip`.
  int64_t resize_min = 0;
  bool flip = false;
  float decoder_lr_scale = 1.f;  // the decoder's learning rate relative to adam.lr (graph and scale parameters)
  int64_t snapshot_every = 0;    // also keep model_<step>.h5 every so many steps, for held-out curves (0: never)
  uint64_t seed = 0;       // data order and crops (the model is initialised by the caller)
  int loader_workers = 1;  // per folder; decoding runs beside the step on the same cores
  AdamOptions adam;
  StepOptions step;      // graph options and lambda; graph.p should be the model's patch size
  RunSettings settings;  // the command line's run-defining options, stored in every checkpoint
  // What the messages call the two image sets (a front end may use its own names for them).
  std::string content_label = "content", style_label = "style";
  std::function<void(const std::string& message)> on_skipped_file;  // an unreadable image was skipped
  std::function<void(int64_t step, const StepResult& result)> on_step;  // after every step's log row
  // Called after every successful step (tests use it to inject failures and stop requests).
  std::function<void(int64_t step, models::Stylizer& model)> after_step;
};

struct TrainingResult {
  int64_t steps_done = 0;  // the run's total, resumed steps included
  bool stopped = false;    // a stop request ended the run before options.steps
  StepResult last;         // the last step's losses and times
  int64_t skipped_files = 0;  // unreadable images met so far, on every rank, each counted once
};

// A loss, gradient or parameter became NaN or Inf; its message names the step and the checkpoint kept.
// Nothing is saved after the last good checkpoint.
struct TrainingDiverged : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string checkpoint_path(const std::string& out_dir);             // DIR/checkpoint.h5
std::string model_path(const std::string& out_dir);                  // DIR/model.h5
std::string log_path(const std::string& out_dir);                    // DIR/log.csv
std::string preview_path(const std::string& out_dir, int64_t step);  // DIR/preview_000100.png
std::string snapshot_path(const std::string& out_dir, int64_t step); // DIR/model_000500.h5

// Checks the options against the model, the crops and the checkpoint, naming the offending option
// (k larger than a crop's style patches, --steps behind the checkpoint, ...). train() calls it first.
void check_training_options(const models::Stylizer& model, const TrainerOptions& options, const Checkpoint* resume);

// Trains `model` in place. `resume` (a loaded checkpoint of this model) restores the optimiser, the step
// and the loaders' positions. `stop_requested` is polled between steps; when it says yes, the loop saves
// a checkpoint and returns with `stopped`.
TrainingResult train(models::Stylizer& model, const TrainerOptions& options, const Checkpoint* resume,
                     const std::function<bool()>& stop_requested);

}  // namespace gs::train
