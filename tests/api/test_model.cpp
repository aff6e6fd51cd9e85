// The public C++ API: loading, options, stylize, and that it computes what the library's own path does.
#include "graphstyle/graphstyle.hpp"

#include <doctest/doctest.h>

#include <omp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "api/convert.h"
#include "api/model_impl.h"
#include "api_fixture.h"
#include "e2e_fixture.h"

using gs::test::contains;

namespace {
graphstyle::Image from_tensor(const gs::Tensor& t) { return graphstyle::detail::to_image(t); }
gs::Tensor to_tensor(const graphstyle::Image& i) { return graphstyle::detail::to_tensor(i, "image"); }
}  // namespace

TEST_CASE("api: loading a missing file, a directory, or a file that is not a model names the file") {
  gs::test::TempDir dir;
  CHECK_THROWS_WITH_AS(graphstyle::Model::load(dir.file("none.h5")), contains(dir.file("none.h5") + ": no such file"),
                       graphstyle::Error);
  gs::test::write_file(dir.file("text.h5"), "not a model\n");
  try {
    graphstyle::Model::load(dir.file("text.h5"));
    FAIL("a text file loaded as a model");
  } catch (const graphstyle::Error& e) {
    CHECK(e.code() == graphstyle::ErrorCode::file);
    CHECK(std::string(e.what()).find("not a graphstyle model file") != std::string::npos);
  }
  const std::string junk = "\x89HDF\r\n\x1a\n and then nothing";
  CHECK_THROWS_AS(graphstyle::Model::load_from_memory(junk.data(), junk.size()), graphstyle::Error);
  CHECK_THROWS_WITH_AS(graphstyle::Model::load_from_memory("abc", 3), contains("not an HDF5 file"), graphstyle::Error);
}

TEST_CASE("api: a model loads from a file and from memory, with its defaults") {
  const gs::test::TinyModelFile file;
  const graphstyle::Model a = graphstyle::Model::load(file.path);
  std::ifstream in(file.path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const graphstyle::Model b = graphstyle::Model::load_from_memory(bytes.data(), bytes.size());
  CHECK(a.info().patch == 3);
  CHECK(a.info().channels == 8);
  CHECK(a.info().encoder_layout == "vgg_normalised");
  CHECK(a.default_options().patch == 3);
  const graphstyle::Image c = gs::test::smooth_image(48, 40, 0.f), s = gs::test::smooth_image(56, 48, 1.f);
  graphstyle::StylizeOptions o = a.default_options();
  o.k = 3;
  o.kc = 2;
  CHECK(a.stylize(c, s, o).pixels == b.stylize(c, s, o).pixels);
}

TEST_CASE("api: stylize gives the content's size, values in [0, 1], the same every time, equal to the library path") {
  const gs::test::TinyModel tiny;
  const graphstyle::Model& model = tiny.model;
  const graphstyle::Image c = gs::test::smooth_image(45, 41, 0.f), s = gs::test::smooth_image(50, 37, 2.f);
  graphstyle::StylizeOptions o = tiny.options();
  o.alpha = 0.8f;
  graphstyle::Context ctx;
  const graphstyle::Image out = model.stylize(ctx, c, s, o);
  CHECK(out.width == 45);
  CHECK(out.height == 41);
  REQUIRE(out.pixels.size() == 45u * 41u * 3u);
  float lo = 1, hi = 0;
  for (float v : out.pixels) lo = std::min(lo, v), hi = std::max(hi, v);
  CHECK(lo >= 0.f);
  CHECK(hi <= 1.f);
  CHECK(hi > lo);
  CHECK(model.stylize(ctx, c, s, o).pixels == out.pixels);  // the context's cached weights change nothing

  // The library's own path (models::Stylizer) gives the same numbers.
  const gs::models::Stylizer lib = gs::test::tiny_model(0);
  gs::models::GraphOptions g = graphstyle::detail::graph_options(o);
  CHECK(from_tensor(lib.stylize_gnn(to_tensor(c), to_tensor(s), g)).pixels == out.pixels);
  o.method = graphstyle::Method::adain;
  CHECK(from_tensor(lib.stylize_adain(to_tensor(c), to_tensor(s), 0.8f)).pixels == model.stylize(ctx, c, s, o).pixels);

  // RGB8 in and out: the float result, rounded.
  o.method = graphstyle::Method::gnn;
  const graphstyle::ImageRGB8 out8 = model.stylize(ctx, graphstyle::to_rgb8(c), graphstyle::to_rgb8(s), o);
  const graphstyle::Image out_of_rgb8 =
      model.stylize(ctx, graphstyle::to_float(graphstyle::to_rgb8(c)), graphstyle::to_float(graphstyle::to_rgb8(s)), o);
  CHECK(out8.pixels == graphstyle::to_rgb8(out_of_rgb8).pixels);
}

TEST_CASE("api: options out of range are OptionErrors naming the field, never a command-line flag") {
  const gs::test::TinyModel tiny;
  const graphstyle::Model& model = tiny.model;
  const graphstyle::Image c = gs::test::smooth_image(40, 40, 0.f), s = gs::test::smooth_image(40, 40, 1.f);
  auto field_of = [&](graphstyle::StylizeOptions o, const graphstyle::Image& content = {}) -> std::string {
    try {
      model.stylize(content.width ? content : c, s, o);
    } catch (const graphstyle::OptionError& e) {
      CHECK(e.code() == graphstyle::ErrorCode::invalid_argument);
      CHECK(std::string(e.what()).find("--") == std::string::npos);
      CHECK(std::string(e.what()).rfind(e.field(), 0) == 0);  // the message starts with the field
      return e.field();
    }
    return "(no error)";
  };
  const graphstyle::StylizeOptions d = model.default_options();
  auto with = [&](auto change) {
    graphstyle::StylizeOptions o = d;
    o.k = 3;
    o.kc = 2;
    change(o);
    return o;
  };
  CHECK(field_of(with([](auto& o) { o.k = 0; })) == "k");
  CHECK(field_of(with([](auto& o) { o.k = 10; })) == "k");  // 5x5 relu4_1, p = 3: 9 style patches
  CHECK(field_of(with([](auto& o) { o.kc = 9; })) == "kc");
  CHECK(field_of(with([](auto& o) { o.patch = 4; })) == "patch");
  CHECK(field_of(with([](auto& o) { o.alpha = 1.5f; })) == "alpha");
  CHECK(field_of(with([](auto& o) { o.stroke = 0.f; })) == "stroke");
  CHECK(field_of(with([](auto& o) { o.threads = -1; })) == "threads");
  CHECK(field_of(with([](auto&) {}), gs::test::smooth_image(16, 16, 0.f)) == "content");  // 2x2 relu4_1 < p
  graphstyle::Image broken = c;
  broken.pixels.pop_back();
  CHECK(field_of(with([](auto&) {}), broken) == "content");
  CHECK(field_of(with([](auto&) {})) == "(no error)");
  CHECK_THROWS_AS(model.check(with([](auto& o) { o.k = 10; }), 40, 40, 40, 40), graphstyle::OptionError);
  CHECK_NOTHROW(model.check(with([](auto&) {}), 40, 40, 40, 40));
}

TEST_CASE("api: one model, two threads with a context each, give what one thread gives") {
  const gs::test::TinyModel tiny;
  const graphstyle::Model& model = tiny.model;
  graphstyle::StylizeOptions o = tiny.options();
  const graphstyle::Image c1 = gs::test::smooth_image(64, 48, 0.f), c2 = gs::test::smooth_image(48, 64, 3.f);
  const graphstyle::Image s = gs::test::smooth_image(56, 56, 1.f);
  graphstyle::Context solo;
  const graphstyle::Image ref1 = model.stylize(solo, c1, s, o), ref2 = model.stylize(solo, c2, s, o);
  for (int round = 0; round < 3; ++round) {
    graphstyle::Image out1, out2;
    std::thread t1([&] {
      graphstyle::Context ctx;
      for (int i = 0; i < 3; ++i) out1 = model.stylize(ctx, c1, s, o);
    });
    std::thread t2([&] {
      graphstyle::Context ctx;
      for (int i = 0; i < 3; ++i) out2 = model.stylize(ctx, c2, s, o);
    });
    t1.join();
    t2.join();
    CHECK(out1.pixels == ref1.pixels);
    CHECK(out2.pixels == ref2.pixels);
  }
}

TEST_CASE("api: a per-call thread count leaves the caller's setting as it was") {
  const gs::test::TinyModel tiny;
  const graphstyle::Model& model = tiny.model;
  graphstyle::StylizeOptions o = tiny.options();
  const graphstyle::Image c = gs::test::smooth_image(40, 40, 0.f), s = gs::test::smooth_image(40, 40, 1.f);
  const int before = omp_get_max_threads();
  o.threads = 1;
  const graphstyle::Image one = model.stylize(c, s, o);
  CHECK(omp_get_max_threads() == before);
  o.threads = 0;
  CHECK(model.stylize(c, s, o).width == one.width);
}

TEST_CASE("api: the trace holds the graph and its pictures") {
  const gs::test::TinyModel tiny;
  const graphstyle::Model& model = tiny.model;
  graphstyle::StylizeOptions o = tiny.options();
  const graphstyle::Image c = gs::test::smooth_image(48, 40, 0.f), s = gs::test::smooth_image(40, 40, 1.f);
  graphstyle::Trace trace;
  CHECK(trace.empty());
  CHECK_THROWS_WITH_AS(trace.explain(), contains("trace is empty"), graphstyle::Error);
  graphstyle::Context ctx;
  model.stylize(ctx, c, s, o, &trace);
  REQUIRE(!trace.empty());
  CHECK(trace.grid_width() == 6);
  CHECK(trace.grid_height() == 5);
  CHECK(trace.nodes() == 4 * 3);
  CHECK(trace.node_scales().size() == 12u);
  const graphstyle::ExplainImages e = trace.explain();
  CHECK(e.scale.width == 48);
  CHECK(e.correspondence.height == 40);
  gs::test::TempDir dir;
  trace.save_graph(dir.file("graph.h5"));
  trace.write_explain_dir(dir.file("explain"));
  CHECK(std::filesystem::exists(dir.file("graph.h5")));
  CHECK(std::filesystem::exists(dir.file("explain/scale_map.png")));
  o.method = graphstyle::Method::adain;
  model.stylize(ctx, c, s, o, &trace);
  CHECK(trace.empty());
}

TEST_CASE("api: images through files and resizing") {
  gs::test::TempDir dir;
  const graphstyle::Image img = gs::test::smooth_image(20, 12, 0.f);
  graphstyle::save_image(dir.file("a.png"), img);
  const graphstyle::Image back = graphstyle::load_image(dir.file("a.png"));
  CHECK(back.width == 20);
  CHECK(back.height == 12);
  CHECK(graphstyle::to_rgb8(back).pixels == graphstyle::to_rgb8(img).pixels);
  CHECK(graphstyle::resize(img, 10, 6).pixels.size() == 10u * 6u * 3u);
  CHECK_THROWS_WITH_AS(graphstyle::load_image(dir.file("none.png")), contains("none.png"), graphstyle::Error);
  CHECK_THROWS_WITH_AS(graphstyle::save_image(dir.file("a.gif"), img), contains("unknown image format"),
                       graphstyle::Error);
  graphstyle::ImageLimits small;
  small.max_side = 10;
  CHECK_THROWS_WITH_AS(graphstyle::load_image(dir.file("a.png"), small), contains("larger than the limit"),
                       graphstyle::Error);
}

TEST_CASE("api: the real model through the API equals the library's path on chicago x starry_night") {
  const std::string c = gs::test::shared_file("fixtures/e2e/inputs/chicago_256.png");
  const std::string s = gs::test::shared_file("fixtures/e2e/inputs/starry_night_256.png");
  if (c.empty() || s.empty() || gs::test::shared_file("weights/decoder.pth").empty()) return;
  const gs::models::Stylizer lib = gs::test::real_model();
  gs::test::TempDir dir;
  gs::data::save_model_file(dir.file("m.h5"), lib.config(), lib.named_tensors());
  const graphstyle::Model model = graphstyle::Model::load(dir.file("m.h5"));
  const graphstyle::Image content = graphstyle::load_image(c), style = graphstyle::load_image(s);
  const graphstyle::StylizeOptions o = model.default_options();
  const graphstyle::Image out = model.stylize(content, style, o);
  CHECK(from_tensor(lib.stylize_gnn(to_tensor(content), to_tensor(style), graphstyle::detail::graph_options(o))).pixels ==
        out.pixels);
}

TEST_CASE("api: a trained model file's recommended settings are its default options") {
  gs::test::TempDir dir;
  const gs::models::Stylizer m = gs::test::tiny_model(0);
  gs::data::RecommendedSettings rec;
  rec.alpha = 0.75;
  rec.k = 4;
  rec.mix = 1.0;
  gs::data::save_model_file(dir.file("m.h5"), m.config(), m.named_tensors(), rec);
  const graphstyle::Model model = graphstyle::Model::load(dir.file("m.h5"));
  const graphstyle::StylizeOptions o = model.default_options();
  CHECK(o.alpha == 0.75f);
  CHECK(o.k == 4);
  CHECK(o.kc == 5);  // not recommended: the default
  CHECK(o.mix == 1.f);
  CHECK(o.patch == 3);
  CHECK(model.info().recommended == std::vector<std::string>{"alpha", "k", "mix"});
  const gs::test::TinyModelFile plain;
  CHECK(graphstyle::Model::load(plain.path).info().recommended.empty());
  CHECK(graphstyle::Model::load(plain.path).default_options().mix == 0.f);
}
