#include "train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "graphstyle/error.hpp"
#include "train/distributed.h"
#include "train/preview.h"
#include "train/training_log.h"

namespace gs::train {

namespace fs = std::filesystem;

std::string checkpoint_path(const std::string& out_dir) { return (fs::path(out_dir) / "checkpoint.h5").string(); }
std::string model_path(const std::string& out_dir) { return (fs::path(out_dir) / "model.h5").string(); }
std::string log_path(const std::string& out_dir) { return (fs::path(out_dir) / "log.csv").string(); }
std::string preview_path(const std::string& out_dir, int64_t step) {
  char name[64];
  std::snprintf(name, sizeof name, "preview_%06lld.png", static_cast<long long>(step));
  return (fs::path(out_dir) / name).string();
}

std::string snapshot_path(const std::string& out_dir, int64_t step) {
  char name[64];
  std::snprintf(name, sizeof name, "model_%06lld.h5", static_cast<long long>(step));
  return (fs::path(out_dir) / name).string();
}

namespace {
// The trainable parameters' names, in the order of Module::trainable() (the optimiser's order).
std::vector<std::string> trainable_names(const models::Stylizer& model) {
  std::vector<std::string> names;
  for (const nn::Parameter& p : model.params().parameters())
    if (p.var.requires_grad()) names.push_back(p.name);
  return names;
}

void restore_optimizer(Adam& adam, const std::vector<std::string>& names, const Checkpoint& ck,
                       const std::string& source) {
  auto restore = [&](std::vector<Tensor>& moments, const data::NamedTensors& saved, const char* which) {
    for (size_t i = 0; i < names.size(); ++i) {
      auto it = std::find_if(saved.begin(), saved.end(), [&](const auto& s) { return s.first == names[i]; });
      if (it == saved.end())
        throw std::runtime_error(source + ": optimizer/" + which + " has no moment for " + names[i]);
      if (it->second.shape() != moments[i].shape())
        throw std::runtime_error(source + ": optimizer/" + which + "/" + names[i] + " has shape " +
                                 shape_str(it->second.shape()) + ", the parameter " + shape_str(moments[i].shape()));
      moments[i].copy_from(it->second);
    }
  };
  restore(adam.first_moments(), ck.adam_m, "m");
  restore(adam.second_moments(), ck.adam_v, "v");
  adam.set_steps_done(ck.state.step);
}

Checkpoint make_checkpoint(const models::Stylizer& model, Adam& adam, const std::vector<std::string>& names,
                           const TrainerOptions& o, int64_t step, const data::BatchLoader& contents,
                           const data::BatchLoader& styles) {
  Checkpoint ck;
  ck.model = {model.config(), model.named_tensors(), {}};
  for (size_t i = 0; i < names.size(); ++i) {
    ck.adam_m.push_back({names[i], adam.first_moments()[i]});
    ck.adam_v.push_back({names[i], adam.second_moments()[i]});
  }
  ck.state = {
      .step = step, .content_position = contents.position(), .style_position = styles.position(), .seed = o.seed};
  ck.settings = o.settings;
  return ck;
}

// Content and style draw from their own streams of the run's seed; each rank takes its contiguous
// slice of every global batch.
data::LoaderOptions loader_options(const TrainerOptions& o, uint64_t stream, const ProcessGroup& group) {
  const int64_t share = o.batch / group.size;
  return {.batch = o.batch,
          .resize = o.resize,
          .resize_min = o.resize_min,
          .flip = o.flip,
          .crop = o.crop,
          .seed = 2 * o.seed + stream,
          .workers = o.loader_workers,
          .prefetch = 2,
          .shard_begin = group.rank * share,
          .shard_size = share,
          .on_skipped_file = o.on_skipped_file};
}

// The unreadable files met on any rank, each counted once: ranks read the same file lists and two of
// them can meet the same bad file (in different epochs), so their own counts cannot simply be added.
// The sets are exchanged (a flag per file, MPI_MAX) only after a step in which some rank met a new one,
// which the sum of the ranks' counts shows the same way on every rank.
struct SkippedFiles {
  int64_t sum_seen = 0;  // the sum of the ranks' own counts at the last exchange
  int64_t total = 0;

  void update(int64_t sum, const data::BatchLoader& contents, const data::BatchLoader& styles) {
    if (sum == sum_seen) return;
    sum_seen = sum;
    std::vector<uint8_t> met(contents.size() + styles.size(), 0);
    for (size_t i : contents.skipped_indices()) met[i] = 1;
    for (size_t i : styles.skipped_indices()) met[contents.size() + i] = 1;
    union_over_processes(met);
    total = std::count(met.begin(), met.end(), uint8_t{1});
  }
};

// Which good state is left: the checkpoint this run saved last, else the one it resumed from.
std::string diverged_message(int64_t step, const StepResult& r, const std::string& saved_file, int64_t saved_step,
                             int64_t resumed_step) {
  char losses[128];
  std::snprintf(losses, sizeof losses, "loss %g, content %g, style %g", r.loss, r.loss_content, r.loss_style);
  std::string kept = "no checkpoint was saved";
  if (!saved_file.empty())
    kept = "the last good checkpoint, " + saved_file + " (step " + std::to_string(saved_step) + "), is kept";
  else if (resumed_step >= 0)
    kept = "the checkpoint resumed from (step " + std::to_string(resumed_step) + ") is untouched";
  return "step " + std::to_string(step) + ": the loss or a gradient is not finite (" + losses +
         "); training stopped without applying this step, and " + kept +
         ". A smaller learning rate (TrainOptions::lr) may help";
}
}  // namespace

void check_training_options(const models::Stylizer& model, const TrainerOptions& o, const Checkpoint* resume) {
  using graphstyle::OptionError;
  if (o.steps < 0) throw OptionError("steps", "steps " + std::to_string(o.steps) + " must be >= 0");
  if (o.batch < 1) throw OptionError("batch", "batch " + std::to_string(o.batch) + " must be >= 1");
  const int ranks = process_group().size;
  if (o.batch % ranks)
    throw OptionError("batch", "batch " + std::to_string(o.batch) + " (the global batch) is not divisible by the " +
                                   std::to_string(ranks) + " data-parallel processes");
  if (resume && o.steps < resume->state.step)
    throw OptionError("steps", "steps " + std::to_string(o.steps) + " is behind the checkpoint, which is at step " +
                                   std::to_string(resume->state.step));
  if (resume && (resume->state.content_position % o.batch || resume->state.style_position % o.batch))
    throw OptionError("batch", "batch " + std::to_string(o.batch) + " does not divide the checkpoint's data position " +
                                   std::to_string(resume->state.content_position) + ": resume with the batch size it used");
  if (o.step.graph.p != model.config().patch)
    throw OptionError("patch", "patch " + std::to_string(o.step.graph.p) + " differs from the model's patch size " +
                                std::to_string(model.config().patch));
  const int64_t side = (o.crop + 7) / 8;  // relu4_1 of a crop
  const Shape features{o.batch, model.config().channels(), side, side};
  models::check_graph_options(o.step.graph, features, features);
}

// Data parallelism: rank 0's parameters replace the others' at the start; each step's gradients and
// losses are averaged over the ranks (train/distributed.h), so every rank applies the same update and
// stays identical; rank 0 alone writes files. One process: the group is that process.
TrainingResult train(models::Stylizer& model, const TrainerOptions& o, const Checkpoint* resume,
                     const std::function<bool()>& stop_requested) {
  check_training_options(model, o, resume);
  const ProcessGroup group = process_group();
  const bool writer = group.root();
  if (writer) fs::create_directories(o.out_dir);
  const std::string checkpoint_file = checkpoint_path(o.out_dir);

  std::vector<Tensor> values;
  for (const nn::Parameter& p : model.params().parameters()) values.push_back(p.var.value());
  broadcast_from_root(values);

  const std::vector<std::string> names = trainable_names(model);
  std::vector<float> lr_scales;
  for (const std::string& name : names) lr_scales.push_back(name.rfind("decoder.", 0) == 0 ? o.decoder_lr_scale : 1.f);
  Adam adam(model.params().trainable(), o.adam, lr_scales);
  int64_t step = 0;
  if (resume) {
    restore_optimizer(adam, names, *resume, "checkpoint");
    step = resume->state.step;
  }
  data::BatchLoader contents(o.content_files, loader_options(o, 0, group), o.content_label);
  data::BatchLoader styles(o.style_files, loader_options(o, 1, group), o.style_label);
  if (resume) {
    contents.seek(resume->state.content_position);
    styles.seek(resume->state.style_position);
  }
  std::unique_ptr<TrainingLog> log;
  if (writer) log = std::make_unique<TrainingLog>(log_path(o.out_dir), step);
  std::unique_ptr<PreviewSheet> preview;
  if (o.preview_every > 0 && writer)
    preview = std::make_unique<PreviewSheet>(o.content_files, o.style_files, o.preview_pairs, o.crop, o.content_label,
                                             o.style_label);

  // The backward computes the decoder's gradients from its last layer to its first, then the graph
  // stage's: the reverse of the parameters' order, which is the order the buckets can start in.
  std::vector<ag::Variable> backward_order = model.params().trainable();
  std::reverse(backward_order.begin(), backward_order.end());
  GradientAverager averager(backward_order);
  SkippedFiles skipped;
  GradientSync sync;
  sync.backward.gradient_ready = [&](const void* param) { averager.gradient_ready(param); };
  sync.backward.after_op = [&] { averager.progress(); };
  sync.finish = [&](StepResult& r) {
    averager.finish();
    // The ranks' own counts of unreadable files ride along with the losses.
    std::vector<double> sums{r.loss, r.loss_content, r.loss_style,
                             double(contents.skipped_files() + styles.skipped_files())};
    sum_over_processes(sums);
    r.loss = static_cast<float>(sums[0] / group.size);
    r.loss_content = static_cast<float>(sums[1] / group.size);
    r.loss_style = static_cast<float>(sums[2] / group.size);
    skipped.update(static_cast<int64_t>(sums[3]), contents, styles);
  };
  const GradientSync* step_sync = group.size > 1 ? &sync : nullptr;
  auto skipped_files = [&] {
    return group.size > 1 ? skipped.total : contents.skipped_files() + styles.skipped_files();
  };

  TrainingResult result;
  int64_t saved_step = -1;
  auto save = [&] {
    if (!parameters_finite(model))  // the same verdict on every rank: their parameters are identical
      throw TrainingDiverged("after step " + std::to_string(step) + " a parameter is NaN or Inf; nothing was saved, " +
                             (saved_step >= 0 ? checkpoint_file + " (step " + std::to_string(saved_step) + ") is kept"
                                              : std::string("no checkpoint had been saved")));
    if (writer) save_checkpoint(checkpoint_file, make_checkpoint(model, adam, names, o, step, contents, styles));
    saved_step = step;
  };
  const int64_t first_step = step;
  // Every rank stops at the same step when any rank was asked to.
  while (step < o.steps && !any_process(stop_requested())) {
    const auto start = std::chrono::steady_clock::now();
    const double lr = adam.learning_rate();
    StepResult r;
    try {
      const Tensor content = contents.next(), style = styles.next();
      r = train_step(model, adam, content, style, o.step, nullptr, step_sync);
    } catch (const std::exception& e) {
      if (group.size == 1) throw;
      throw std::runtime_error("step " + std::to_string(step + 1) + ": " + e.what());  // which step the ranks were at
    }
    ++step;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.skipped_files = skipped_files();
    if (log)
      log->append({step, lr, r.loss, r.loss_content, r.loss_style, seconds, result.skipped_files, r.times.reduce});
    result.last = r;
    if (o.on_step) o.on_step(step, r);
    if (!r.finite) {
      throw TrainingDiverged(
          diverged_message(step, r, saved_step >= 0 ? checkpoint_file : "", saved_step, resume ? first_step : -1));
    }
    if (o.after_step) o.after_step(step, model);
    if (o.save_every > 0 && step % o.save_every == 0) save();
    if (writer && o.snapshot_every > 0 && step % o.snapshot_every == 0)
      data::save_model_file(snapshot_path(o.out_dir, step), model.config(), model.named_tensors());
    if (preview && step % o.preview_every == 0) preview->write(preview_path(o.out_dir, step), model, o.step.graph);
  }
  result.steps_done = step;
  result.stopped = step < o.steps;
  if (saved_step != step) save();
  if (!result.stopped) {
    if (writer) data::save_model_file(model_path(o.out_dir), model.config(), model.named_tensors());
    if (preview && step % o.preview_every != 0) preview->write(preview_path(o.out_dir, step), model, o.step.graph);
  }
  return result;
}

}  // namespace gs::train
