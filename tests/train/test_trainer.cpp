#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "graphstyle/error.hpp"
#include "data/test_files.h"
#include "tensor/ops.h"
#include "graphstyle/process.hpp"
#include "train/tiny_training.h"
#include "train/trainer.h"
#include "train/training_log.h"

namespace fs = std::filesystem;
using gs::Tensor;
using gs::test::TempDir;
namespace train = gs::train;

namespace {
struct Folders {
  TempDir dir;
  std::string content = dir.file("content"), style = dir.file("style"), out = dir.file("out");
  Folders(int contents, int styles) {
    fs::create_directories(content);
    fs::create_directories(style);
    gs::test::write_images(content, contents, 40, 48, 1);
    gs::test::write_images(style, styles, 48, 40, 2);
  }
};

void check_same_parameters(const gs::models::Stylizer& a, const gs::models::Stylizer& b) {
  const auto pa = a.named_tensors(), pb = b.named_tensors();
  REQUIRE(pa.size() == pb.size());
  for (size_t i = 0; i < pa.size(); ++i) {
    INFO(pa[i].first);
    CHECK(gs::max_abs_diff(pa[i].second, pb[i].second) == 0.f);
  }
}
}  // namespace

TEST_CASE("trainer: on a fixed batch the loss goes down") {
  // One 32x32 image per folder and crop = resize: every batch is the same pair.
  TempDir dir;
  fs::create_directories(dir.file("c"));
  fs::create_directories(dir.file("s"));
  gs::test::write_images(dir.file("c"), 1, 32, 32, 3);
  gs::test::write_images(dir.file("s"), 1, 32, 32, 4);
  train::TrainerOptions o = gs::test::tiny_options(dir.file("c"), dir.file("s"), dir.file("out"));
  o.resize = o.crop = 32;
  o.steps = 30;
  o.adam.lr = 1e-2f;
  gs::models::Stylizer model = gs::test::tiny_model();
  const train::TrainingResult r = train::train(model, o, nullptr, gs::test::never);
  CHECK(r.steps_done == 30);
  CHECK_FALSE(r.stopped);
  const auto rows = train::TrainingLog::read(train::log_path(o.out_dir));
  REQUIRE(rows.size() == 30);
  MESSAGE("loss " << rows.front().loss << " -> " << rows.back().loss);
  CHECK(rows.back().loss < 0.5f * rows.front().loss);
  CHECK(rows[10].lr == doctest::Approx(1e-2 / (1 + 5e-5 * 10)).epsilon(1e-6));  // step 11 has t = 10
  // The end of a run: checkpoint and model file, and the model file is a complete model.
  CHECK(train::load_checkpoint(train::checkpoint_path(o.out_dir)).state.step == 30);
  check_same_parameters(gs::models::Stylizer::load(train::model_path(o.out_dir)), model);
}

TEST_CASE("trainer: stopped by SIGINT at step 10 and resumed to 20, a run repeats an uninterrupted 20-step run exactly") {
  Folders f(5, 4);
  train::TrainerOptions o = gs::test::tiny_options(f.content, f.style, f.out);
  o.steps = 20;
  o.save_every = 4;  // 10 is not a save point: the stop itself must save
  o.settings = {{"--batch", "2"}};

  gs::models::Stylizer whole = gs::test::tiny_model();
  train::train(whole, o, nullptr, gs::test::never);
  const auto expected = train::TrainingLog::read(train::log_path(o.out_dir));
  REQUIRE(expected.size() == 20);
  fs::remove_all(o.out_dir);

  // The signal arrives during step 10: the step finishes, a checkpoint is saved, the loop returns.
  gs::models::Stylizer first = gs::test::tiny_model();
  train::TrainerOptions interrupted = o;
  interrupted.after_step = [](int64_t step, gs::models::Stylizer&) {
    if (step == 10) std::raise(SIGINT);
  };
  {
    graphstyle::StopSignals signals;
    const train::TrainingResult r = train::train(first, interrupted, nullptr, [&] { return signals.requested(); });
    CHECK(r.stopped);
    CHECK(r.steps_done == 10);
    CHECK(signals.signal_number() == SIGINT);
  }
  const train::Checkpoint ck = train::load_checkpoint(train::checkpoint_path(o.out_dir));
  CHECK(ck.state.step == 10);
  CHECK(ck.state.content_position == 20);
  CHECK(ck.settings == o.settings);
  CHECK_FALSE(fs::exists(train::model_path(o.out_dir)));  // the run is not finished

  gs::models::Stylizer resumed(ck.model.config, ck.model.params);
  const train::TrainingResult r = train::train(resumed, o, &ck, gs::test::never);
  CHECK(r.steps_done == 20);
  const auto got = train::TrainingLog::read(train::log_path(o.out_dir));
  REQUIRE(got.size() == 20);
  for (size_t i = 0; i < got.size(); ++i) {
    INFO("step " << got[i].step);
    CHECK(got[i].step == expected[i].step);
    CHECK(got[i].loss == expected[i].loss);  // bit for bit, not approximately
    CHECK(got[i].loss_content == expected[i].loss_content);
    CHECK(got[i].loss_style == expected[i].loss_style);
  }
  check_same_parameters(resumed, whole);
}

TEST_CASE("trainer: an unreadable image is skipped, warned about and counted in the log") {
  Folders f(3, 3);
  std::ofstream(f.content + "/broken.png") << "not a png";
  train::TrainerOptions o = gs::test::tiny_options(f.content, f.style, f.out);
  o.steps = 4;  // 8 content samples: the 4 files are all met in the first epoch
  gs::models::Stylizer model = gs::test::tiny_model();
  train::train(model, o, nullptr, gs::test::never);
  const auto rows = train::TrainingLog::read(train::log_path(o.out_dir));
  REQUIRE(rows.size() == 4);
  CHECK(rows.back().skipped_files == 1);
  for (const auto& row : rows) CHECK(std::isfinite(row.loss));
}

TEST_CASE("trainer: a NaN loss stops training, names the step and keeps the last good checkpoint") {
  Folders f(3, 3);
  train::TrainerOptions o = gs::test::tiny_options(f.content, f.style, f.out);
  o.steps = 10;
  o.save_every = 2;
  // An attention vector turned NaN after step 3 (not a save point) makes step 4's loss NaN.
  o.after_step = [](int64_t step, gs::models::Stylizer& model) {
    if (step == 3) model.params().get("inter.as").value().fill_(NAN);
  };
  gs::models::Stylizer model = gs::test::tiny_model();
  CHECK_THROWS_WITH_AS(train::train(model, o, nullptr, gs::test::never),
                       doctest::Contains("step 4: the loss or a gradient is not finite"), train::TrainingDiverged);
  const train::Checkpoint ck = train::load_checkpoint(train::checkpoint_path(o.out_dir));
  CHECK(ck.state.step == 2);
  for (const auto& [name, t] : ck.model.params) {
    INFO(name);
    CHECK(std::isfinite(gs::sum_all(t)));
  }
  CHECK_FALSE(fs::exists(train::model_path(o.out_dir)));
  const auto rows = train::TrainingLog::read(train::log_path(o.out_dir));
  REQUIRE(rows.size() == 4);  // the bad step is logged, for the record
  CHECK(std::isnan(rows.back().loss));
}

TEST_CASE("trainer: a NaN parameter that leaves the loss finite is still never saved") {
  Folders f(3, 3);
  train::TrainerOptions o = gs::test::tiny_options(f.content, f.style, f.out);
  o.save_every = 2;
  // The last decoder bias feeds the re-encoding's ReLUs, which turn NaN into 0: the loss stays finite.
  o.after_step = [](int64_t step, gs::models::Stylizer& model) {
    if (step == 3) model.params().get("decoder.dec1_1.bias").value().fill_(NAN);
  };
  gs::models::Stylizer model = gs::test::tiny_model();
  CHECK_THROWS_WITH_AS(train::train(model, o, nullptr, gs::test::never), doctest::Contains("after step 4"),
                       train::TrainingDiverged);
  CHECK(train::load_checkpoint(train::checkpoint_path(o.out_dir)).state.step == 2);
}

TEST_CASE("trainer: options that do not fit the crops are refused before training, naming the option") {
  Folders f(1, 1);
  train::TrainerOptions o = gs::test::tiny_options(f.content, f.style, f.out);
  o.step.graph.k = 5;  // 32x32 crops have 4 style patches of 3x3 at relu4_1
  gs::models::Stylizer model = gs::test::tiny_model();
  CHECK_THROWS_WITH_AS(train::train(model, o, nullptr, gs::test::never), doctest::Contains("k 5 must be in 1..4"),
                       graphstyle::OptionError);
  CHECK_FALSE(fs::exists(f.out));
}

TEST_CASE("stop signals: SIGTERM is recorded, not fatal; the handler is one-shot and uninstalled after") {
  graphstyle::StopSignals signals;
  CHECK_FALSE(signals.requested());
  std::raise(SIGTERM);
  CHECK(signals.requested());
  CHECK(signals.signal_number() == SIGTERM);
}
