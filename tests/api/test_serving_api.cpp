// The API a service needs: images from and to memory, the size forms, style features encoded once,
// and the graph in memory; each equal to its file-based counterpart.
#include "graphstyle/graphstyle.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include "api_fixture.h"
#include "data/hdf5_file.h"
#include "e2e_fixture.h"

using gs::test::contains;

namespace {
std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

TEST_CASE("api: images decoded from and encoded to memory equal the file functions") {
  gs::test::TempDir dir;
  const graphstyle::Image img = gs::test::smooth_image(20, 12, 0.f);
  for (const char* format : {"png", "jpg"}) {
    const std::string path = dir.file(std::string("a.") + format);
    graphstyle::save_image(path, img, 90);
    const std::vector<uint8_t> bytes = graphstyle::encode_image(img, format, 90);
    CHECK(std::string(bytes.begin(), bytes.end()) == read_bytes(path));
    const graphstyle::Image a = graphstyle::load_image(path), b = graphstyle::decode_image(bytes.data(), bytes.size(), "upload");
    CHECK(a.pixels == b.pixels);
  }
  const std::string png = read_bytes(dir.file("a.png"));
  CHECK_THROWS_WITH_AS(graphstyle::decode_image(png.data(), png.size() / 2, "content"), contains("content"),
                       graphstyle::OptionError);
  CHECK_THROWS_WITH_AS(graphstyle::decode_image("hello", 5, "style"), contains("style"), graphstyle::OptionError);
  try {
    graphstyle::decode_image("hello", 5, "style");
  } catch (const graphstyle::OptionError& e) {
    CHECK(e.field() == "style");
  }
  graphstyle::ImageLimits small;
  small.max_pixels = 100;
  CHECK_THROWS_WITH_AS(graphstyle::decode_image(png.data(), png.size(), "content", small), contains("limit"),
                       graphstyle::OptionError);
  CHECK_THROWS_WITH_AS(graphstyle::encode_image(img, "gif"), contains("format gif"), graphstyle::OptionError);
}

TEST_CASE("api: the size forms of the stylize command") {
  CHECK(graphstyle::sized(640, 480, "240").width == 320);
  CHECK(graphstyle::sized(640, 480, "240").height == 240);
  CHECK(graphstyle::sized(640, 480, "0").width == 640);
  CHECK(graphstyle::sized(640, 480, "100x50").height == 50);
  for (const char* bad : {"", "abc", "-3", "12x", "x12", "99999999999", "1e9"})
    CHECK_THROWS_WITH_AS(graphstyle::sized(640, 480, bad, "style_size"), contains("style_size"), graphstyle::OptionError);
}

TEST_CASE("api: stylizing with encoded style features equals stylizing with the style image") {
  const gs::test::TinyModel tiny;
  const graphstyle::Model& model = tiny.model;
  graphstyle::StylizeOptions o = tiny.options();
  const graphstyle::Image c = gs::test::smooth_image(48, 40, 0.f), s = gs::test::smooth_image(40, 40, 1.f);
  graphstyle::Context ctx;
  const graphstyle::StyleFeatures f = model.encode_style(ctx, s, o);
  CHECK(f.width() == 40);
  CHECK(f.bytes() > 40u * 40u * 3u * 4u);
  for (graphstyle::Method m : {graphstyle::Method::gnn, graphstyle::Method::adain}) {
    o.method = m;
    const graphstyle::Image a = model.stylize(ctx, c, s, o), b = model.stylize(ctx, c, f, o);
    CHECK(a.pixels == b.pixels);  // bit for bit: the same encoder on the same image
  }
  CHECK_THROWS_WITH_AS(model.stylize(ctx, c, graphstyle::StyleFeatures(), o), contains("empty"), graphstyle::OptionError);
  const gs::test::TinyModel other_tiny(1);
  const graphstyle::Model& other = other_tiny.model;
  CHECK_THROWS_WITH_AS(other.stylize(ctx, c, f, o), contains("another model"), graphstyle::OptionError);
}

TEST_CASE("api: the graph in memory is what save_graph writes") {
  const gs::test::TinyModel tiny;
  const graphstyle::Model& model = tiny.model;
  graphstyle::StylizeOptions o = tiny.options();
  graphstyle::Context ctx;
  graphstyle::Trace trace;
  model.stylize(ctx, gs::test::smooth_image(48, 40, 0.f), gs::test::smooth_image(40, 40, 1.f), o, &trace);
  const graphstyle::GraphData g = trace.graph();
  gs::test::TempDir dir;
  trace.save_graph(dir.file("graph.h5"));
  const gs::data::H5File f = gs::data::H5File::open_read(dir.file("graph.h5"));
  CHECK(g.p == f.attr_int("/", "p"));
  CHECK(g.k == 3);
  CHECK(g.kc == 2);
  CHECK(g.content_width == 48);
  CHECK(g.grid_width == 6);
  CHECK(std::vector<int64_t>(g.content_yx.begin(), g.content_yx.end()) == f.read_i64("nodes/content_yx"));
  CHECK(std::vector<int64_t>(g.style_yx.begin(), g.style_yx.end()) == f.read_i64("nodes/style_yx"));
  CHECK(std::vector<int64_t>(g.inter.sources.begin(), g.inter.sources.end()) == f.read_i64("inter/edges"));
  CHECK(g.inter.attention == f.read_tensor("inter/attention").to_vector());
  CHECK(g.inter.scores == f.read_tensor("inter/scores").to_vector());
  CHECK(std::vector<int64_t>(g.intra.sources.begin(), g.intra.sources.end()) == f.read_i64("intra/edges"));
  CHECK(g.intra.attention == f.read_tensor("intra/attention").to_vector());
  CHECK(g.scales == f.read_tensor("scales/s").to_vector());
  CHECK(g.scale_map == f.read_tensor("scales/S").to_vector());
  CHECK(g.scales.size() == static_cast<size_t>(trace.nodes()));
}
