// Training through the public API: a run, its files, a resumed run that repeats an uninterrupted one,
// errors naming the fields, and a Model taken from the trainer.
#include "graphstyle/train.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <vector>

#include "api_fixture.h"

namespace {
struct Setup {
  gs::test::TinyModelFile model;
  std::string content = model.dir.file("content"), style = model.dir.file("style");
  Setup() {
    std::filesystem::create_directories(content);
    std::filesystem::create_directories(style);
    gs::test::write_images(content, 3, 40, 44, 1);
    gs::test::write_images(style, 2, 44, 40, 2);
  }
  graphstyle::TrainOptions options(const std::string& out, int64_t steps) const {
    graphstyle::TrainOptions o;
    o.content_dir = content;
    o.style_dir = style;
    o.out_dir = model.dir.file(out);
    o.steps = steps;
    o.save_every = 0;
    o.batch = 2;
    o.resize = 36;
    o.crop = 32;
    o.lr = 1e-3;
    o.k = 3;
    o.kc = 2;
    return o;
  }
};

std::vector<float> losses(graphstyle::Trainer& t) {
  std::vector<float> out;
  graphstyle::TrainCallbacks cb;
  cb.on_step = [&](const graphstyle::TrainStep& s) { out.push_back(s.loss); };
  t.run(cb);
  return out;
}
}  // namespace

TEST_CASE("api train: a run writes its files; stopped and resumed, it repeats the uninterrupted losses") {
  const Setup s;
  graphstyle::TrainSources src;
  src.model = s.model.path;
  graphstyle::Trainer whole = graphstyle::Trainer::create(src, s.options("whole", 4));
  CHECK(whole.content_images() == 3u);
  const std::vector<float> all = losses(whole);
  REQUIRE(all.size() == 4u);
  CHECK(std::filesystem::exists(s.model.dir.file("whole/model.h5")));
  CHECK(std::filesystem::exists(s.model.dir.file("whole/log.csv")));

  graphstyle::TrainOptions first = s.options("parts", 4);
  first.settings = {{"note", "kept"}};
  graphstyle::Trainer part = graphstyle::Trainer::create(src, first);
  graphstyle::TrainCallbacks cb;
  int steps = 0;
  cb.stop_requested = [&] { return steps == 2; };
  cb.on_step = [&](const graphstyle::TrainStep&) { ++steps; };
  const graphstyle::TrainResult r = part.run(cb);
  CHECK(r.stopped);
  CHECK(r.steps_done == 2);
  CHECK_THROWS_AS(part.run(), graphstyle::Error);  // a trainer runs once
  int64_t step = 0;
  const std::string ck = s.model.dir.file("parts/checkpoint.h5");
  CHECK(graphstyle::Trainer::checkpoint_settings(ck, &step) == first.settings);
  CHECK(step == 2);
  graphstyle::Trainer rest = graphstyle::Trainer::resume(ck, first);
  CHECK(rest.step() == 2);
  const std::vector<float> tail = losses(rest);
  REQUIRE(tail.size() == 2u);
  CHECK(tail[0] == all[2]);
  CHECK(tail[1] == all[3]);

  // The trained model stylizes, and stays as it was taken.
  const graphstyle::Model m = rest.model();
  graphstyle::StylizeOptions o = m.default_options();
  o.k = 3;
  o.kc = 2;
  CHECK(m.stylize(gs::test::smooth_image(40, 40, 0.f), gs::test::smooth_image(40, 40, 1.f), o).width == 40);
}

TEST_CASE("api train: errors name the TrainOptions and TrainSources fields") {
  const Setup s;
  graphstyle::TrainSources src;
  src.model = s.model.path;
  auto field_of = [&](const graphstyle::TrainSources& sources, const graphstyle::TrainOptions& o) -> std::string {
    try {
      graphstyle::Trainer t = graphstyle::Trainer::create(sources, o);
      t.check();
    } catch (const graphstyle::OptionError& e) {
      CHECK(std::string(e.what()).rfind(e.field(), 0) == 0);
      CHECK(std::string(e.what()).find("--") == std::string::npos);
      return e.field();
    }
    return "(no error)";
  };
  graphstyle::TrainOptions o = s.options("o", 2);
  CHECK(field_of(src, o) == "(no error)");
  o.k = 5;  // a 32x32 crop has 4 style patches
  CHECK(field_of(src, o) == "k");
  o = s.options("o", 2);
  o.content_dir = "";
  CHECK(field_of(src, o) == "content_dir");
  o = s.options("o", 2);
  o.crop = 64;
  CHECK(field_of(src, o) == "crop");
  graphstyle::TrainSources bad;
  bad.vgg = s.model.dir.file("none.pth");
  CHECK(field_of(bad, s.options("o", 2)) == "vgg");
  bad = src;
  bad.init_decoder = s.model.dir.file("none.pth");
  CHECK(field_of(bad, s.options("o", 2)) == "init_decoder");
}
