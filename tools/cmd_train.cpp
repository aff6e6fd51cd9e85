// graphstyle train: trains the stylizer (MODEL.md 4) on a folder of content images and one of style images.
#include <omp.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "data/image_folder.h"
#include "graphstyle/error.hpp"
#include "tools/args.h"
#include "tensor/allocator.h"
#include "train/initial_model.h"
#include "train/stop_signals.h"
#include "train/trainer.h"

namespace gs::tools {

namespace {
const char* kUsage =
    "usage: graphstyle train --content DIR --style DIR --out DIR (--vgg VGG.pth | --model MODEL.h5) [options]\n"
    "       graphstyle train --resume DIR/checkpoint.h5 [--steps N] [options]\n"
    "Data (folders are searched recursively for .jpg .jpeg .png .bmp; unreadable files are skipped):\n"
    "  --content DIR        content images (photographs)\n"
    "  --style DIR          style images (paintings)\n"
    "  --batch N            images per step (8)\n"
    "  --resize N           shorter side before cropping (512)\n"
    "  --crop N             random square crops of N x N (256)\n"
    "  --resize-min N       multi-scale crops: each image's shorter side drawn from [N, --resize] (off)\n"
    "  --flip on|off        mirror half of the crops left-right (off)\n"
    "Model:\n"
    "  --vgg FILE           the frozen encoder: vgg_normalised.pth (or a torchvision vgg19 .pth)\n"
    "  --model FILE         instead of --vgg: the encoder and configuration of a model file\n"
    "  --init-decoder FILE  start the decoder from decoder.pth or a model file (default: PyTorch's init)\n"
    "  --init-graph FILE    start the graph parameters from a .pth or model file (default: MODEL.md's init)\n"
    "  --patch P            patch size at relu4_1, odd (5, or the --model file's)\n"
    "  --upsample nearest|bilinear  the decoder's upsampling (nearest, or the --model file's)\n"
    "  --k K  --kc K        style and content neighbours per patch (5, 5)\n"
    "  --deformable on|off  --aggregator gat|mean  --metric ncc|euclidean  (on, gat, ncc)\n"
    "Optimisation:\n"
    "  --steps N            steps in all (160000); a resumed run continues up to N\n"
    "  --lr X               Adam's learning rate (1e-4), decayed as lr / (1 + lr-decay * step)\n"
    "  --lr-decay X         (5e-5)\n"
    "  --lr-decoder X       the decoder's learning rate (--lr); a pretrained decoder wants smaller steps\n"
    "  --alpha X            train with t = alpha t + (1 - alpha) Fc (1, MODEL.md): the decoder learns the\n"
    "                       mix it will decode when stylize uses the same --alpha\n"
    "  --mix content|adain  what alpha mixes in: Fc (content, MODEL.md) or AdaIN(Fc, Fs)\n"
    "  --style-weight X     lambda in L = Lc + lambda Ls (10)\n"
    "  --photo-weight X     adds X * mse(relu4_1(out), relu4_1(photo)): a content term against the photo (0)\n"
    "  --seed N             parameter initialisation, data order and crops (0)\n"
    "Output, in --out DIR:\n"
    "  log.csv              step, lr, loss, loss_content, loss_style, seconds, skipped_files\n"
    "  checkpoint.h5        every --save-every N steps (1000), when stopped, and at the end\n"
    "  preview_STEP.png     every --preview-every N steps (500; 0 = never): the first 2 content images\n"
    "                       in the first 2 styles, at the crop size\n"
    "  model_STEP.h5        every --snapshot-every N steps (0 = never): the model, for held-out curves\n"
    "  model.h5             the trained model, for graphstyle stylize --model\n"
    "Resuming: --resume DIR/checkpoint.h5 continues exactly where the checkpoint left off (the same\n"
    "  batches and losses as an uninterrupted run); options not given are taken from the checkpoint.\n"
    "Ctrl-C or SIGTERM: the current step finishes, a checkpoint is saved, and the program exits with\n"
    "  128 + the signal number (a second Ctrl-C stops at once; the last checkpoint stays intact).\n"
    "A NaN or Inf loss stops training with an error; checkpoint.h5 keeps the last good state.\n";

// The shortest text that reads back as exactly `v` ("0.0001", not "0.00010000000000000000479").
std::string shortest_text(double v) {
  char text[32];
  for (int digits = 6; digits <= 17; ++digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, v);
    if (std::strtod(text, nullptr) == v) break;
  }
  return text;
}

// An option of the run: from the command line, else (when resuming) from the checkpoint, else the
// default. Every value used is recorded, to be stored in the checkpoints.
class RunOptions {
 public:
  RunOptions(Args& args, const train::RunSettings* stored) : args_(args), stored_(stored) {}

  std::string text(const std::string& option, const std::string& fallback) {
    const std::optional<std::string> given = args_.value(option);
    return record(option, given.value_or(stored_value(option).value_or(fallback)), given.has_value());
  }
  int64_t integer(const std::string& option, int64_t fallback, int64_t lo, int64_t hi) {
    const auto stored = stored_value(option);
    const bool given = args_.value(option).has_value();  // probes only; get_int parses and range-checks it
    const int64_t v = args_.get_int(option, stored ? std::stoll(*stored) : fallback, lo, hi);
    return record(option, std::to_string(v), given), v;
  }
  double number(const std::string& option, double fallback, double lo, double hi) {
    const auto stored = stored_value(option);
    const bool given = args_.value(option).has_value();
    const double v = args_.get_double(option, stored ? std::stod(*stored) : fallback, lo, hi);
    return record(option, shortest_text(v), given), v;
  }
  std::string choice(const std::string& option, const std::string& fallback, const std::vector<std::string>& choices) {
    const bool given = args_.value(option).has_value();
    const std::string v = args_.get_choice(option, stored_value(option).value_or(fallback), choices);
    return record(option, v, given);
  }
  const train::RunSettings& recorded() const { return recorded_; }

 private:
  std::optional<std::string> stored_value(const std::string& option) const {
    if (stored_)
      for (const auto& [name, value] : *stored_)
        if (name == option) return value;
    return std::nullopt;
  }
  // Says so when a resumed run changes an option that shapes the results.
  std::string record(const std::string& option, const std::string& value, bool given) {
    const auto stored = stored_value(option);
    const bool bookkeeping = option == "--steps" || option == "--save-every" || option == "--preview-every" ||
                             option == "--snapshot-every";
    if (given && stored && *stored != value && !bookkeeping)
      std::fprintf(stderr,
                   "note: %s %s replaces the checkpoint's %s: the resumed run differs from an uninterrupted one\n",
                   option.c_str(), value.c_str(), stored->c_str());
    recorded_.push_back({option, value});
    return value;
  }
  Args& args_;
  const train::RunSettings* stored_;
  train::RunSettings recorded_;
};

std::vector<std::string> image_list(const std::string& folder, const std::string& option) {
  if (folder.empty()) throw std::invalid_argument("option " + option + " DIR is required (see --help)");
  return data::list_images(folder, option);
}

std::optional<train::Checkpoint> load_resume(const std::optional<std::string>& path) {
  if (!path) return std::nullopt;
  try {
    return train::load_checkpoint(*path);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("option --resume: ") + e.what());
  }
}

// The options that define the run (stored in its checkpoints); image folders are listed later.
train::TrainerOptions read_run_options(RunOptions& run, std::string& content_dir, std::string& style_dir) {
  train::TrainerOptions o;
  content_dir = run.text("--content", "");
  style_dir = run.text("--style", "");
  o.batch = run.integer("--batch", 8, 1, 4096);
  o.resize = run.integer("--resize", 512, 8, 16384);
  o.crop = run.integer("--crop", 256, 8, 16384);
  o.resize_min = run.integer("--resize-min", 0, 0, 16384);
  o.flip = run.choice("--flip", "off", {"on", "off"}) == "on";
  o.steps = run.integer("--steps", 160000, 0, 1'000'000'000);
  o.adam.lr = static_cast<float>(run.number("--lr", 1e-4, 1e-12, 1.0));
  o.adam.lr_decay = static_cast<float>(run.number("--lr-decay", 5e-5, 0.0, 1e6));
  const double lr_decoder = run.number("--lr-decoder", o.adam.lr, 0.0, 1.0);
  o.decoder_lr_scale = static_cast<float>(lr_decoder / o.adam.lr);
  o.step.graph.alpha = static_cast<float>(run.number("--alpha", 1.0, 0.0, 1.0));
  o.step.graph.mix = run.choice("--mix", "content", {"content", "adain"}) == "adain" ? models::GraphOptions::Mix::adain
                                                                                     : models::GraphOptions::Mix::content;
  o.step.photo_weight = static_cast<float>(run.number("--photo-weight", 0.0, 0.0, 1e6));
  o.step.style_weight = static_cast<float>(run.number("--style-weight", 10.0, 0.0, 1e9));
  o.step.graph.k = static_cast<int>(run.integer("--k", 5, 1, 64));
  o.step.graph.kc = static_cast<int>(run.integer("--kc", 5, 0, 64));
  o.step.graph.deformable = run.choice("--deformable", "on", {"on", "off"}) == "on";
  o.step.graph.aggregator = graph::parse_aggregator(run.choice("--aggregator", "gat", {"gat", "mean"}));
  o.step.graph.metric =
      run.choice("--metric", "ncc", {"ncc", "euclidean"}) == "ncc" ? graph::Metric::ncc : graph::Metric::euclidean;
  o.seed = static_cast<uint64_t>(run.integer("--seed", 0, 0, INT64_MAX));
  o.save_every = run.integer("--save-every", 1000, 0, INT64_MAX);
  o.preview_every = run.integer("--preview-every", 500, 0, INT64_MAX);
  o.snapshot_every = run.integer("--snapshot-every", 0, 0, INT64_MAX);
  if (o.crop > o.resize)
    throw std::invalid_argument("option --crop " + std::to_string(o.crop) + " is larger than --resize " +
                                std::to_string(o.resize));
  if (o.resize_min != 0 && (o.resize_min < o.crop || o.resize_min > o.resize))
    throw std::invalid_argument("option --resize-min " + std::to_string(o.resize_min) + " must lie between --crop " +
                                std::to_string(o.crop) + " and --resize " + std::to_string(o.resize));
  return o;
}

// Where the model's parameters come from in a new run; none of these may be given with --resume.
struct ModelOptions {
  train::ModelSources sources;
  std::vector<std::string> given;  // the option names used
};

ModelOptions read_model_options(Args& args) {
  ModelOptions m;
  auto path = [&](const char* option, std::string& into) {
    into = args.get(option, "");
    if (!into.empty()) m.given.push_back(option);
  };
  path("--vgg", m.sources.vgg);
  path("--model", m.sources.model);
  path("--init-decoder", m.sources.decoder);
  path("--init-graph", m.sources.graph);
  if (args.value("--patch")) {
    m.sources.patch = static_cast<int>(args.get_int("--patch", 5, 1, 15));
    if (*m.sources.patch % 2 == 0)
      throw std::invalid_argument("option --patch " + std::to_string(*m.sources.patch) + ": must be odd");
    m.given.push_back("--patch");
  }
  if (args.value("--upsample")) {
    m.sources.upsample = models::parse_upsample_mode(args.get_choice("--upsample", "nearest", {"nearest", "bilinear"}));
    m.given.push_back("--upsample");
  }
  return m;
}

// Parallel sums are split by thread: a resumed run repeats the original only with as many threads.
void record_threads(train::RunSettings& settings, const train::Checkpoint* resume) {
  const std::string threads = std::to_string(omp_get_max_threads());
  settings.push_back({"threads", threads});
  if (resume)
    for (const auto& [name, value] : resume->settings)
      if (name == "threads" && value != threads)
        std::fprintf(stderr,
                     "note: %s threads here, %s in the checkpoint's run: losses will differ in the last digits "
                     "(set OMP_NUM_THREADS=%s to repeat it exactly)\n",
                     threads.c_str(), value.c_str(), value.c_str());
}
}  // namespace

int run_train(const std::vector<std::string>& argv) {
  Args args(argv, kUsage);
  if (args.help()) {
    std::printf("%s", kUsage);
    return 0;
  }
  const std::optional<std::string> resume_path = args.value("--resume");
  const std::optional<train::Checkpoint> resume = load_resume(resume_path);
  const train::Checkpoint* resumed = resume ? &*resume : nullptr;
  RunOptions run(args, resumed ? &resumed->settings : nullptr);
  std::string content_dir, style_dir;
  train::TrainerOptions o = read_run_options(run, content_dir, style_dir);
  // A resumed run writes next to its checkpoint unless told otherwise.
  std::string default_out;
  if (resume_path) default_out = std::filesystem::path(*resume_path).parent_path().string();
  if (resume_path && default_out.empty()) default_out = ".";
  o.out_dir = args.get("--out", default_out);
  ModelOptions model_options = read_model_options(args);
  args.finish();
  if (o.out_dir.empty()) throw std::invalid_argument("option --out DIR is required (see --help)");
  o.settings = run.recorded();
  record_threads(o.settings, resumed);
  o.content_files = image_list(content_dir, "--content");
  o.style_files = image_list(style_dir, "--style");

  std::optional<models::Stylizer> model;
  std::string description;
  if (resumed) {
    if (!model_options.given.empty())
      throw std::invalid_argument("option " + model_options.given[0] +
                                  " cannot be used with --resume: the checkpoint holds the model");
    model.emplace(resumed->model.config, resumed->model.params);
    description = "resumed from " + *resume_path + " at step " + std::to_string(resumed->state.step);
  } else {
    model_options.sources.seed = o.seed;
    train::InitialModel initial = train::initial_model(model_options.sources);
    model.emplace(std::move(initial.model));
    description = initial.description;
  }
  o.step.graph.p = model->config().patch;
  try {
    train::check_training_options(*model, o, resumed);
  } catch (const graphstyle::OptionError& e) {  // the library names the field; here it is the flag
    throw std::invalid_argument(std::string("option --") + e.what());
  }

  keep_all_freed_memory();
  train::StopSignals signals;
  std::printf("train: %zu content and %zu style images, batch %lld of %lldx%lld crops, steps %lld..%lld -> %s\n  %s\n",
              o.content_files.size(), o.style_files.size(), (long long)o.batch, (long long)o.crop, (long long)o.crop,
              (long long)(resumed ? resumed->state.step : 0), (long long)o.steps, o.out_dir.c_str(),
              description.c_str());
  std::fflush(stdout);
  const train::TrainingResult result = train::train(*model, o, resumed, [&] { return signals.requested(); });
  const std::string checkpoint = train::checkpoint_path(o.out_dir);
  if (result.stopped) {
    std::printf("stopped by signal %d after step %lld; saved %s\n  continue with: graphstyle train --resume %s\n",
                signals.signal_number(), (long long)result.steps_done, checkpoint.c_str(), checkpoint.c_str());
    return 128 + signals.signal_number();
  }
  std::printf("trained to step %lld (last loss %.4g: content %.4g, style %.4g); wrote %s and %s\n",
              (long long)result.steps_done, result.last.loss, result.last.loss_content, result.last.loss_style,
              train::model_path(o.out_dir).c_str(), checkpoint.c_str());
  return 0;
}

}  // namespace gs::tools
