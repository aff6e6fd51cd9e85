// The aggregators beyond MODEL.md through the public API: a model without a family refuses them
// naming its file and the parameters, training adds the family to a model without one, and the
// trained model stylizes with its family by default (gat and mean still work on it).
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <string>

#include "api_fixture.h"
#include "graphstyle/train.hpp"

namespace {
using graphstyle::Aggregator;

struct Folders {
  gs::test::TinyModelFile model;
  std::string content = model.dir.file("content"), style = model.dir.file("style");
  Folders() {
    std::filesystem::create_directories(content);
    std::filesystem::create_directories(style);
    gs::test::write_images(content, 2, 40, 44, 1);
    gs::test::write_images(style, 2, 44, 40, 2);
  }
};

std::string option_error(const std::function<void()>& f, std::string* message = nullptr) {
  try {
    f();
  } catch (const graphstyle::OptionError& e) {
    if (message) *message = e.what();
    return e.field();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("api aggregators: a model without the family names its file and the missing parameters") {
  const gs::test::TinyModel tiny;
  graphstyle::StylizeOptions o = tiny.options();
  CHECK(o.aggregator == Aggregator::gat);  // no family: gat by default
  o.aggregator = Aggregator::gin;
  std::string message;
  CHECK(option_error([&] { tiny.model.check(o, 40, 40, 40, 40); }, &message) == "aggregator");
  CHECK(message.find(tiny.file.path) != std::string::npos);
  CHECK(message.find("inter.gin.eps, inter.gin.W1, inter.gin.b1, inter.gin.W2, inter.gin.b2") != std::string::npos);
  CHECK(option_error([&] {
          tiny.model.stylize(gs::test::smooth_image(40, 40, 0.f), gs::test::smooth_image(40, 40, 1.f), o);
        }) == "aggregator");
  CHECK(graphstyle::parse_aggregator("edgeconv") == Aggregator::edgeconv);
  CHECK(option_error([] { graphstyle::parse_aggregator("max", "agg"); }) == "agg");
}

TEST_CASE("api aggregators: two training steps add each family; the model stylizes with it by default") {
  const Folders f;
  for (Aggregator agg : {Aggregator::gin, Aggregator::edgeconv, Aggregator::sage}) {
    const std::string name = graphstyle::to_string(agg);
    CAPTURE(name);
    graphstyle::TrainSources src;  // the campaign's way: encoder, decoder and graph from one model file
    src.model = src.init_decoder = src.init_graph = f.model.path;
    graphstyle::TrainOptions o;
    o.content_dir = f.content;
    o.style_dir = f.style;
    o.out_dir = f.model.dir.file("run_" + name);
    o.steps = 2;
    o.save_every = 0;
    o.batch = 2;
    o.resize = 36;
    o.crop = 32;
    o.lr = 1e-3;
    o.k = 3;
    o.kc = 2;
    o.aggregator = agg;
    graphstyle::Trainer t = graphstyle::Trainer::create(src, o);
    CHECK(t.description().find("inter." + name + ".* initialised") != std::string::npos);
    const graphstyle::TrainResult r = t.run();
    CHECK(r.steps_done == 2);
    CHECK(std::isfinite(r.last.loss));

    const graphstyle::Model m = graphstyle::Model::load(o.out_dir + "/model.h5");
    graphstyle::StylizeOptions so = m.default_options();
    CHECK(so.aggregator == agg);
    so.k = 3;
    so.kc = 2;
    const graphstyle::Image content = gs::test::smooth_image(40, 40, 0.f), style = gs::test::smooth_image(40, 40, 1.f);
    CHECK(m.stylize(content, style, so).width == 40);
    for (Aggregator other : {Aggregator::gat, Aggregator::mean}) {
      so.aggregator = other;
      CHECK(m.stylize(content, style, so).width == 40);
    }
    // Another family is not in this model.
    so.aggregator = agg == Aggregator::sage ? Aggregator::gin : Aggregator::sage;
    CHECK(option_error([&] { m.stylize(content, style, so); }) == "aggregator");

    // The streamed style-set path: one style works, a blend of two is refused with a reason.
    so.aggregator = agg;
    graphstyle::StyleSet one, two;
    graphstyle::Context ctx;
    const graphstyle::StyleFeatures a = m.encode_style(ctx, style, so);
    const graphstyle::StyleFeatures b = m.encode_style(ctx, gs::test::smooth_image(40, 40, 2.f), so);
    one.styles = {a};
    one.weights = {1.f};
    CHECK(m.stylize_styles(ctx, content, one, so).width == 40);
    two.styles = {a, b};
    two.weights = {0.5f, 0.5f};
    std::string message;
    CHECK(option_error([&] { m.stylize_styles(ctx, content, two, so); }, &message) == "aggregator");
    CHECK(message.find("one style") != std::string::npos);

    // Training it again with another family is refused: a model holds one.
    graphstyle::TrainSources again = src;
    again.init_graph = o.out_dir + "/model.h5";
    graphstyle::TrainOptions o2 = o;
    o2.out_dir = f.model.dir.file("again_" + name);
    o2.aggregator = agg == Aggregator::sage ? Aggregator::gin : Aggregator::sage;
    CHECK(option_error([&] { graphstyle::Trainer::create(again, o2); }) == "aggregator");
  }
}
