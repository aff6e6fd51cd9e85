// graphstyle train: trains the stylizer (MODEL.md 4) on a folder of content images and one of style images,
// through the public API (graphstyle/train.hpp).
#include <omp.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <graphstyle/graphstyle.hpp>

#include "tools/args.h"
#include "tools/isolated.h"
#include "tools/progress_line.h"
#include "tools/stylize_options.h"

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
    "  --deformable on|off  --metric ncc|euclidean  (on, ncc)\n"
    "  --aggregator A       gat, mean, or gin, edgeconv, sage (README: Aggregators beyond MODEL.md), whose\n"
    "                       parameters start at their initialisation when the graph has none (gat)\n"
    "Optimisation:\n"
    "  --precision fp32|bf16  the convolutions, forward and backward: bf16 products with fp32 weights,\n"
    "                       Adam state and losses (mixed precision; fp32 without native bf16) (fp32)\n"
    "  --steps N            steps in all (160000); a resumed run continues up to N\n"
    "  --lr X               Adam's learning rate (1e-4), decayed as lr / (1 + lr-decay * step)\n"
    "  --lr-decay X         (5e-5)\n"
    "  --lr-decoder X       the decoder's learning rate (--lr); a pretrained decoder wants smaller steps\n"
    "  --alpha X            train with t = alpha t + (1 - alpha) Fc (1, MODEL.md): the decoder learns the\n"
    "                       mix it will decode when stylize uses the same --alpha\n"
    "  --mix M              the (1 - alpha) share is (1 - M) Fc + M AdaIN(Fc, Fs): 0 = content (MODEL.md),\n"
    "                       1 = adain (content)\n"
    "  --style-weight X     lambda in L = Lc + lambda Ls (10)\n"
    "  --photo-weight X     adds X * mse(relu4_1(out), relu4_1(photo)): a content term against the photo (0)\n"
    "  --seed N             parameter initialisation, data order and crops (0)\n"
    "Output, in --out DIR:\n"
    "  log.csv              step, lr, loss, loss_content, loss_style, seconds, skipped_files, reduce_seconds\n"
    "  checkpoint.h5        every --save-every N steps (1000), when stopped, and at the end\n"
    "  preview_STEP.png     every --preview-every N steps (500; 0 = never): the first 2 content images\n"
    "                       in the first 2 styles, at the crop size\n"
    "  model_STEP.h5        every --snapshot-every N steps (0 = never): the model, for held-out curves\n"
    "  model.h5             the trained model, for graphstyle stylize --model\n"
    "Resuming: --resume DIR/checkpoint.h5 continues exactly where the checkpoint left off (the same\n"
    "  batches and losses as an uninterrupted run); options not given are taken from the checkpoint.\n"
    "Ctrl-C or SIGTERM: the current step finishes, a checkpoint is saved, and the program exits with\n"
    "  128 + the signal number (a second Ctrl-C stops at once; the last checkpoint stays intact).\n"
    "A NaN or Inf loss stops training with an error; checkpoint.h5 keeps the last good state.\n"
    "--profile (or GRAPHSTYLE_PROFILE=1): after each step, where its time went on stderr (per op kind,\n"
    "  oneDNN kernels, phases; graphstyle/profile.hpp)\n"
    "Several machines: mpirun -np N [--hostfile H] --bind-to none graphstyle train ... trains one model on N\n"
    "  processes (built with Open MPI): --batch is the global batch, split evenly; rank 0 writes the files.\n";

using Settings = std::vector<std::pair<std::string, std::string>>;

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
  RunOptions(Args& args, const Settings* stored) : args_(args), stored_(stored) {}

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
  const Settings& recorded() const { return recorded_; }

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
  const Settings* stored_;
  Settings recorded_;
};

void require_folder(const std::string& folder, const std::string& option) {
  if (folder.empty()) throw std::invalid_argument("option " + option + " DIR is required (see --help)");
}

// The settings stored in the checkpoint to resume from.
std::optional<Settings> load_resume(const std::optional<std::string>& path) {
  if (!path) return std::nullopt;
  try {
    // Reads every tensor, as resuming will.
    check_in_child(*path, [&] { graphstyle::Trainer::checkpoint_settings(*path); });
    return graphstyle::Trainer::checkpoint_settings(*path);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("option --resume: ") + e.what());
  }
}

// The library names its fields; here each is the flag of (nearly) the same name.
std::string flag_of(std::string field) {
  if (field == "content_dir") return "--content";
  if (field == "style_dir") return "--style";
  if (field == "out_dir") return "--out";
  for (char& c : field)
    if (c == '_') c = '-';
  return "--" + field;
}

template <class F>
auto with_flags(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const graphstyle::OptionError& e) {
    throw std::invalid_argument("option " + flag_of(e.field()) + std::string(e.what()).substr(e.field().size()));
  }
}

// The options that define the run (stored in its checkpoints); image folders are listed later.
graphstyle::TrainOptions read_run_options(RunOptions& run) {
  graphstyle::TrainOptions o;
  o.content_dir = run.text("--content", "");
  o.style_dir = run.text("--style", "");
  o.batch = run.integer("--batch", 8, 1, 4096);
  o.resize = run.integer("--resize", 512, 8, 16384);
  o.crop = run.integer("--crop", 256, 8, 16384);
  o.resize_min = run.integer("--resize-min", 0, 0, 16384);
  o.flip = run.choice("--flip", "off", {"on", "off"}) == "on";
  o.steps = run.integer("--steps", 160000, 0, 1'000'000'000);
  o.lr = run.number("--lr", 1e-4, 1e-12, 1.0);
  o.lr_decay = run.number("--lr-decay", 5e-5, 0.0, 1e6);
  o.decoder_lr = run.number("--lr-decoder", static_cast<float>(o.lr), 0.0, 1.0);
  o.alpha = run.number("--alpha", 1.0, 0.0, 1.0);
  o.mix = parse_mix(run.text("--mix", "content"));
  o.photo_weight = run.number("--photo-weight", 0.0, 0.0, 1e6);
  o.style_weight = run.number("--style-weight", 10.0, 0.0, 1e9);
  o.k = static_cast<int>(run.integer("--k", 5, 1, 64));
  o.kc = static_cast<int>(run.integer("--kc", 5, 0, 64));
  o.deformable = run.choice("--deformable", "on", {"on", "off"}) == "on";
  o.aggregator = graphstyle::parse_aggregator(
      run.choice("--aggregator", "gat", {"gat", "mean", "gin", "edgeconv", "sage"}), "--aggregator");
  o.metric = run.choice("--metric", "ncc", {"ncc", "euclidean"}) == "ncc" ? graphstyle::Metric::ncc
                                                                         : graphstyle::Metric::euclidean;
  o.precision = run.choice("--precision", "fp32", {"fp32", "bf16"}) == "bf16" ? graphstyle::Precision::bf16
                                                                            : graphstyle::Precision::fp32;
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
  graphstyle::TrainSources sources;
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
  path("--init-decoder", m.sources.init_decoder);
  path("--init-graph", m.sources.init_graph);
  if (args.value("--patch")) {
    m.sources.patch = static_cast<int>(args.get_int("--patch", 5, 1, 15));
    if (m.sources.patch % 2 == 0)
      throw std::invalid_argument("option --patch " + std::to_string(m.sources.patch) + ": must be odd");
    m.given.push_back("--patch");
  }
  if (args.value("--upsample")) {
    m.sources.upsample = args.get_choice("--upsample", "nearest", {"nearest", "bilinear"});
    m.given.push_back("--upsample");
  }
  return m;
}

// Parallel sums are split by thread: a resumed run repeats the original only with as many threads.
void record_threads(Settings& settings, const Settings* resume) {
  const std::string threads = std::to_string(omp_get_max_threads());
  settings.push_back({"threads", threads});
  if (resume)
    for (const auto& [name, value] : *resume)
      if (name == "threads" && value != threads)
        std::fprintf(stderr,
                     "note: %s threads here, %s in the checkpoint's run: losses will differ in the last digits "
                     "(set OMP_NUM_THREADS=%s to repeat it exactly)\n",
                     threads.c_str(), value.c_str(), value.c_str());
}

// Likewise the gradients are summed per rank first: the same losses again need as many ranks. Any
// number resumes a checkpoint, only not to the last digit.
void record_ranks(Settings& settings, const Settings* resume, int ranks, bool root) {
  const std::string here = std::to_string(ranks);
  settings.push_back({"ranks", here});
  if (resume)
    for (const auto& [name, value] : *resume)
      if (name == "ranks" && value != here && root)
        std::fprintf(stderr,
                     "note: %s data-parallel rank(s) here, %s in the checkpoint's run: training continues, with "
                     "losses that differ in the last digits from an uninterrupted run\n",
                     here.c_str(), value.c_str());
}

int train_command(const std::vector<std::string>& argv, const graphstyle::DistributedTraining& ranks) {
  Args args(argv, kUsage);
  if (args.help()) {
    std::printf("%s", kUsage);
    return 0;
  }
  const std::optional<std::string> resume_path = args.value("--resume");
  const std::optional<Settings> resume = load_resume(resume_path);
  const Settings* resumed = resume ? &*resume : nullptr;
  RunOptions run(args, resumed);
  graphstyle::TrainOptions o = read_run_options(run);
  // A resumed run writes next to its checkpoint unless told otherwise.
  std::string default_out;
  if (resume_path) default_out = std::filesystem::path(*resume_path).parent_path().string();
  if (resume_path && default_out.empty()) default_out = ".";
  o.out_dir = args.get("--out", default_out);
  ModelOptions model_options = read_model_options(args);
  const char* env_profile = std::getenv("GRAPHSTYLE_PROFILE");
  const bool profile_steps = args.flag("--profile") || (env_profile && std::string(env_profile) == "1");
  args.finish();
  if (o.out_dir.empty()) throw std::invalid_argument("option --out DIR is required (see --help)");
  o.settings = run.recorded();
  record_threads(o.settings, resumed);
  record_ranks(o.settings, resumed, ranks.size(), ranks.rank() == 0);
  require_folder(o.content_dir, "--content");
  require_folder(o.style_dir, "--style");
  o.content_label = "--content";
  o.style_label = "--style";
  if (resumed && !model_options.given.empty())
    throw std::invalid_argument("option " + model_options.given[0] +
                                " cannot be used with --resume: the checkpoint holds the model");
  if (!resumed && model_options.sources.vgg.empty() == model_options.sources.model.empty())
    throw std::invalid_argument("give the encoder with exactly one of --vgg VGG.pth and --model MODEL.h5");

  if (!resumed && !model_options.sources.model.empty())
    check_in_child(model_options.sources.model, [&] { graphstyle::Model::load(model_options.sources.model); });
  graphstyle::Trainer trainer = with_flags([&] {
    return resumed ? graphstyle::Trainer::resume(*resume_path, o) : graphstyle::Trainer::create(model_options.sources, o);
  });
  with_flags([&] { trainer.check(); });

  graphstyle::keep_freed_memory();  // opted into: every step frees and takes the same large tensors
  graphstyle::StopSignals signals;
  const bool root = ranks.rank() == 0;  // rank 0 alone reports, as it alone writes
  if (root)
    std::printf("train: %zu content and %zu style images, batch %lld of %lldx%lld crops, steps %lld..%lld -> %s\n  %s\n",
                trainer.content_images(), trainer.style_images(), (long long)o.batch, (long long)o.crop,
                (long long)o.crop, (long long)trainer.step(), (long long)o.steps, o.out_dir.c_str(),
                trainer.description().c_str());
  if (root && ranks.size() > 1)
    std::printf("  data-parallel on %d ranks: %lld images of each batch per rank\n", ranks.size(),
                (long long)(o.batch / ranks.size()));
  std::fflush(stdout);
  graphstyle::TrainCallbacks callbacks;
  callbacks.stop_requested = [&] { return signals.requested(); };
  // Rate and ETA on a terminal; the images done count from this run's first step.
  const int64_t first_step = trainer.step();
  ProgressLine progress("train", (o.steps - first_step) * o.batch, "img", root);
  callbacks.on_step = [&](const graphstyle::TrainStep& s) {
    char note[160];
    std::snprintf(note, sizeof note, "step %lld/%lld  loss %.4g (content %.4g, style %.4g)", (long long)s.step,
                  (long long)o.steps, s.loss, s.loss_content, s.loss_style);
    progress.update((s.step - first_step) * o.batch, note);
  };
  callbacks.on_skipped_file = [](const std::string& message) { std::fprintf(stderr, "warning: %s\n", message.c_str()); };
  graphstyle::Profile profile;
  if (profile_steps && root) {
    callbacks.profile = &profile;
    callbacks.on_step = [&profile](const graphstyle::TrainStep& step) {
      std::fprintf(stderr, "\nprofile of step %lld:\n%s", static_cast<long long>(step.step), profile.table().c_str());
      profile.clear();
    };
  }
  const graphstyle::TrainResult result = trainer.run(callbacks);
  progress.finish();
  const std::string checkpoint = (std::filesystem::path(o.out_dir) / "checkpoint.h5").string();
  // Rank 0 reports and gives the exit code: mpirun ends the whole job as soon as one rank exits
  // non-zero, which must not happen before rank 0 has saved.
  if (!root) return 0;
  if (result.skipped_files > 0)
    std::printf("skipped %lld unreadable image%s (named in the warnings above)\n", (long long)result.skipped_files,
                result.skipped_files == 1 ? "" : "s");
  if (result.stopped) {
    const int signal = signals.signal_number() ? signals.signal_number() : SIGTERM;  // 0: another rank's signal
    std::printf("stopped by signal %d after step %lld; saved %s\n  continue with: graphstyle train --resume %s\n",
                signal, (long long)result.steps_done, checkpoint.c_str(), checkpoint.c_str());
    return 128 + signal;
  }
  std::printf("trained to step %lld (last loss %.4g: content %.4g, style %.4g); wrote %s and %s\n",
              (long long)result.steps_done, result.last.loss, result.last.loss_content, result.last.loss_style,
              (std::filesystem::path(o.out_dir) / "model.h5").string().c_str(), checkpoint.c_str());
  return 0;
}

}  // namespace

// Under mpirun every rank runs this command; an error on one rank ends all of them (MPI_Abort), as the
// others would wait for it forever, with the rank in the message.
int run_train(const std::vector<std::string>& argv) {
  graphstyle::DistributedTraining ranks;
  if (ranks.size() == 1) return train_command(argv, ranks);
  try {
    return train_command(argv, ranks);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "graphstyle train: rank %d of %d: error: %s\n", ranks.rank(), ranks.size(), e.what());
    std::fflush(stderr);
    ranks.abort(1);
  }
}

}  // namespace gs::tools
