// graphstyle::Trainer over the library's training loop (train/trainer.h).
#include "graphstyle/train.hpp"

#include <optional>

#include "api/convert.h"
#include "api/model_impl.h"
#include "data/image_folder.h"
#include "graph/aggregators.h"
#include "train/checkpoint.h"
#include "train/initial_model.h"
#include "train/trainer.h"

namespace graphstyle {

struct Trainer::Impl {
  std::optional<gs::models::Stylizer> model;
  std::optional<gs::train::Checkpoint> resume;
  gs::train::TrainerOptions options;
  std::string description;
  int64_t step = 0;
  bool ran = false;
};

namespace {

// A step's phases (train/train_step.h) as the profile's stages.
void add_phases(gs::ag::Profile& profile, const gs::train::StepTimes& t) {
  for (const auto& [name, seconds] :
       {std::pair{"encode", t.encode}, std::pair{"graph forward", t.graph_forward},
        std::pair{"decode forward", t.decode_forward}, std::pair{"loss forward", t.loss_forward},
        std::pair{"loss backward", t.loss_backward}, std::pair{"decode backward", t.decode_backward},
        std::pair{"graph backward", t.graph_backward}, std::pair{"update", t.update}})
    profile.add_stage(name, seconds);
  if (t.reduce > 0) profile.add_stage("reduce (waiting for the other ranks)", t.reduce);
}

std::vector<std::string> images_of(const std::string& folder, const std::string& label) {
  if (folder.empty()) throw OptionError(label, label + " is empty: a folder of images is needed");
  return gs::data::list_images(folder, label);
}

// The public options as the training loop's; the casts are the ones the command line always made,
// so that runs and checkpoints stay comparable digit for digit.
gs::train::TrainerOptions trainer_options(const TrainOptions& o, int patch) {
  gs::train::TrainerOptions t;
  t.content_files = images_of(o.content_dir, o.content_label);
  t.style_files = images_of(o.style_dir, o.style_label);
  t.content_label = o.content_label;
  t.style_label = o.style_label;
  if (o.out_dir.empty()) throw OptionError("out_dir", "out_dir is empty: training needs an output folder");
  t.out_dir = o.out_dir;
  t.steps = o.steps;
  t.save_every = o.save_every;
  t.preview_every = o.preview_every;
  t.snapshot_every = o.snapshot_every;
  t.batch = o.batch;
  t.resize = o.resize;
  t.crop = o.crop;
  t.resize_min = o.resize_min;
  t.flip = o.flip;
  if (o.crop > o.resize)
    throw OptionError("crop", "crop " + std::to_string(o.crop) + " is larger than resize " + std::to_string(o.resize));
  if (o.resize_min != 0 && (o.resize_min < o.crop || o.resize_min > o.resize))
    throw OptionError("resize_min", "resize_min " + std::to_string(o.resize_min) + " must lie between crop " +
                                        std::to_string(o.crop) + " and resize " + std::to_string(o.resize));
  if (!(o.lr > 0)) throw OptionError("lr", "lr " + std::to_string(o.lr) + " must be > 0");
  t.adam.lr = static_cast<float>(o.lr);
  t.adam.lr_decay = static_cast<float>(o.lr_decay);
  t.decoder_lr_scale = o.decoder_lr < 0 ? 1.f : static_cast<float>(o.decoder_lr / t.adam.lr);
  t.step.graph.alpha = static_cast<float>(o.alpha);
  if (!(o.mix >= 0 && o.mix <= 1)) throw OptionError("mix", "mix " + std::to_string(o.mix) + " must be in [0, 1]");
  t.step.graph.mix = static_cast<float>(o.mix);
  t.step.photo_weight = static_cast<float>(o.photo_weight);
  t.step.style_weight = static_cast<float>(o.style_weight);
  t.step.graph.k = o.k;
  t.step.graph.kc = o.kc;
  t.step.graph.deformable = o.deformable;
  t.step.graph.aggregator = static_cast<gs::graph::Aggregator>(o.aggregator);  // same order (api/model.cpp)
  t.step.graph.metric = o.metric == Metric::ncc ? gs::graph::Metric::ncc : gs::graph::Metric::euclidean;
  t.step.graph.p = patch;
  t.step.bf16 = o.precision == Precision::bf16;
  t.seed = o.seed;
  t.settings = o.settings;
  return t;
}

}  // namespace

Trainer::Trainer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Trainer::Trainer(Trainer&&) noexcept = default;
Trainer& Trainer::operator=(Trainer&&) noexcept = default;
Trainer::~Trainer() = default;

Trainer Trainer::create(const TrainSources& s, const TrainOptions& o) {
  return detail::translate([&] {
    gs::train::ModelSources src;
    src.vgg = s.vgg;
    src.model = s.model;
    src.decoder = s.init_decoder;
    src.graph = s.init_graph;
    if (s.patch) {
      if (s.patch < 1 || s.patch % 2 == 0) throw OptionError("patch", "patch " + std::to_string(s.patch) + " must be odd");
      src.patch = s.patch;
    }
    if (!s.upsample.empty()) src.upsample = gs::models::parse_upsample_mode(s.upsample);
    src.seed = o.seed;
    src.family = gs::graph::inter_family(static_cast<gs::graph::Aggregator>(o.aggregator));
    auto impl = std::make_unique<Impl>();
    impl->options = trainer_options(o, 0);  // the folders and options first: they are cheaper to get wrong
    gs::train::InitialModel initial = gs::train::initial_model(src);
    impl->model.emplace(std::move(initial.model));
    impl->description = initial.description;
    impl->options.step.graph.p = impl->model->config().patch;
    return Trainer(std::move(impl));
  });
}

Trainer Trainer::resume(const std::string& path, const TrainOptions& o) {
  return detail::translate([&] {
    auto impl = std::make_unique<Impl>();
    impl->resume.emplace(gs::train::load_checkpoint(path));
    const gs::train::Checkpoint& ck = *impl->resume;
    impl->model.emplace(ck.model.config, ck.model.params);
    impl->options = trainer_options(o, impl->model->config().patch);
    impl->step = ck.state.step;
    impl->description = "resumed from " + path + " at step " + std::to_string(ck.state.step);
    return Trainer(std::move(impl));
  });
}

std::vector<std::pair<std::string, std::string>> Trainer::checkpoint_settings(const std::string& path, int64_t* step) {
  return detail::translate([&] {
    const gs::train::Checkpoint ck = gs::train::load_checkpoint(path);
    if (step) *step = ck.state.step;
    return ck.settings;
  });
}

const std::string& Trainer::description() const { return impl_->description; }
int64_t Trainer::step() const { return impl_->step; }
size_t Trainer::content_images() const { return impl_->options.content_files.size(); }
size_t Trainer::style_images() const { return impl_->options.style_files.size(); }

void Trainer::check() const {
  detail::translate([&] {
    gs::train::check_training_options(*impl_->model, impl_->options, impl_->resume ? &*impl_->resume : nullptr);
  });
}

TrainResult Trainer::run(const TrainCallbacks& callbacks) {
  return detail::translate([&] {
    if (impl_->ran) throw Error(ErrorCode::invalid_argument, "this trainer has run; resume from its checkpoint to go on");
    impl_->ran = true;
    gs::train::TrainerOptions o = impl_->options;
    o.on_skipped_file = callbacks.on_skipped_file;
    gs::ag::Profile* profile = callbacks.profile ? &callbacks.profile->impl().profile : nullptr;
    if (callbacks.on_step || profile)
      o.on_step = [&](int64_t step, const gs::train::StepResult& r) {
        if (profile) add_phases(*profile, r.times);
        if (callbacks.on_step) callbacks.on_step(TrainStep{step, r.loss, r.loss_content, r.loss_style});
      };
    const std::function<bool()> stop = callbacks.stop_requested ? callbacks.stop_requested : [] { return false; };
    std::optional<gs::ag::ProfileScope> scope;  // the steps run on this thread
    if (profile) scope.emplace(*profile);
    const gs::train::TrainingResult r =
        gs::train::train(*impl_->model, o, impl_->resume ? &*impl_->resume : nullptr, stop);
    impl_->step = r.steps_done;
    return TrainResult{r.steps_done, r.stopped,
                       TrainStep{r.steps_done, r.last.loss, r.last.loss_content, r.last.loss_style}, r.skipped_files};
  });
}

Model Trainer::model() const {
  return detail::translate([&] {
    gs::data::NamedTensors params = impl_->model->named_tensors();
    for (auto& [name, t] : params) t = t.clone();  // the Model stays as it is while training goes on
    return Model(std::make_shared<const Model::Impl>(
        Model::Impl{gs::models::Stylizer(impl_->model->config(), params), gs::data::RecommendedSettings{}}));
  });
}

}  // namespace graphstyle
