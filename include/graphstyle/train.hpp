// Training the stylizer (MODEL.md 4) from C++: what `graphstyle train` runs.
//
//   graphstyle::TrainSources sources;
//   sources.vgg = "vgg_normalised.pth";
//   graphstyle::TrainOptions options;
//   options.content_dir = "coco/";  options.style_dir = "wikiart/";  options.out_dir = "run1";
//   graphstyle::Trainer trainer = graphstyle::Trainer::create(sources, options);
//   graphstyle::TrainResult r = trainer.run();                 // run1/log.csv, checkpoint.h5, model.h5
//   ... later: graphstyle::Trainer::resume("run1/checkpoint.h5", options).run();
//
// The run is deterministic at a fixed thread count: a resumed run repeats an uninterrupted one's
// losses. Nothing is printed: TrainCallbacks::on_step reports each step, for a host's own display.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "graphstyle/model.hpp"
#include "graphstyle/options.hpp"
#include "graphstyle/profile.hpp"
#include "graphstyle/export.h"

GRAPHSTYLE_EXPORT_BEGIN
namespace graphstyle {

// Where a new run's parameters come from.
struct TrainSources {
  std::string vgg;           // the frozen encoder: vgg_normalised.pth or a torchvision vgg19 .pth, or
  std::string model;         // instead of vgg: a model file's encoder and configuration
  std::string init_decoder;  // decoder.pth or a model file; "" = PyTorch's default initialisation
  std::string init_graph;    // graph parameters (.pth or model file); "" = MODEL.md's initialisation
  int patch = 0;             // 0: 5, or the model file's
  std::string upsample;      // "nearest" or "bilinear"; "": nearest, or the model file's
};

struct TrainOptions {
  std::string content_dir, style_dir;  // searched recursively for .jpg .jpeg .png .bmp
  std::string out_dir;
  int64_t steps = 1000;        // in all, resumed steps included
  int64_t save_every = 1000;   // checkpoint period; 0: only when stopped and at the end
  int64_t preview_every = 0;   // preview_STEP.png period; 0: none
  int64_t snapshot_every = 0;  // model_STEP.h5 period; 0: none
  int64_t batch = 8, resize = 512, crop = 256;
  int64_t resize_min = 0;  // > 0: each sample's shorter side drawn from [resize_min, resize]
  bool flip = false;       // mirror half of the crops
  double lr = 1e-4, lr_decay = 5e-5;  // Adam's rate, decayed as lr / (1 + lr_decay * step)
  double decoder_lr = -1;             // < 0: lr
  double style_weight = 10, photo_weight = 0;
  double alpha = 1;
  double mix = 0;  // as StylizeOptions::mix
  int k = 5, kc = 5;
  bool deformable = true;
  Aggregator aggregator = Aggregator::gat;
  Metric metric = Metric::ncc;
  // Of every convolution, forward and backward: bf16 products with fp32 sums, while the weights,
  // Adam's state, the activations between layers and the losses stay fp32 (mixed precision). On a
  // CPU without native bf16 it trains in fp32 (effective_precision, graphstyle/model.hpp).
  Precision precision = Precision::fp32;
  uint64_t seed = 0;
  // What messages call the two folders (a front end may put its own names for them here).
  std::string content_label = "content_dir", style_label = "style_dir";
  // Stored in every checkpoint as they are (a front end records its options here, to read them
  // back with Trainer::checkpoint_settings when resuming).
  std::vector<std::pair<std::string, std::string>> settings;
};

struct TrainStep {
  int64_t step = 0;
  float loss = 0, loss_content = 0, loss_style = 0;
};

struct TrainResult {
  int64_t steps_done = 0;  // the run's total
  bool stopped = false;    // stop_requested ended it before options.steps
  TrainStep last;
  int64_t skipped_files = 0;  // unreadable images met so far (on every data-parallel rank, each once)
};

struct TrainCallbacks {
  std::function<bool()> stop_requested;                       // polled between steps
  std::function<void(const TrainStep&)> on_step;              // after each step
  std::function<void(const std::string& message)> on_skipped_file;  // an unreadable image (training goes on)
  // If set, every step adds where its time went to *profile (graphstyle/profile.hpp): ops, oneDNN
  // kernels, and the step's phases as stages. on_step may read it and clear() it for per-step tables.
  Profile* profile = nullptr;
};

class Trainer {
 public:
  // A new run. Errors name the TrainSources or TrainOptions field (OptionError).
  static Trainer create(const TrainSources& sources, const TrainOptions& options);
  // Continues a checkpoint (DIR/checkpoint.h5) with these options (normally its own settings).
  static Trainer resume(const std::string& checkpoint_path, const TrainOptions& options);
  // The settings a checkpoint's run stored (TrainOptions::settings), and its step.
  static std::vector<std::pair<std::string, std::string>> checkpoint_settings(const std::string& checkpoint_path,
                                                                              int64_t* step = nullptr);

  Trainer(Trainer&&) noexcept;
  Trainer& operator=(Trainer&&) noexcept;
  ~Trainer();

  const std::string& description() const;  // where the parameters came from
  int64_t step() const;                     // steps done so far
  size_t content_images() const, style_images() const;
  // Checks every option against the model and crops without training (run() checks them too).
  void check() const;
  // Trains to options.steps or until stopped; writes log.csv, checkpoint.h5, model.h5 in out_dir.
  TrainResult run(const TrainCallbacks& callbacks = {});
  Model model() const;  // a copy of the current parameters

 private:
  struct Impl;
  explicit Trainer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace graphstyle
GRAPHSTYLE_EXPORT_END
