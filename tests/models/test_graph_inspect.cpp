#include "models/graph_inspect.h"

#include <doctest/doctest.h>

#include <filesystem>

#include "data/hdf5_file.h"
#include "models/init.h"
#include "nn/module.h"
#include "tensor/ops.h"

using gs::Tensor;
namespace fs = std::filesystem;

TEST_CASE("graph inspect: with content = style, k = 1 and s = 1 the correspondence image is the style image") {
  gs::models::ModelConfig config;
  config.widths = {4, 4, 6, 8};
  config.d = 4;
  config.scale_hidden = 4;
  gs::nn::Module params;
  for (const auto& [name, t] : gs::models::init_graph_params(config, 0)) params.add_parameter(name, t);
  gs::Rng rng(5);
  const Tensor f = Tensor::uniform({1, 8, 7, 9}, rng, 0, 1);  // a relu4_1-like map of a 56x72 image
  gs::models::GraphOptions opt;
  opt.p = 3;
  opt.k = 1;
  opt.kc = 2;
  opt.deformable = false;
  gs::models::GraphTrace trace;
  gs::ag::NoGradGuard no_grad;
  gs::models::graph_stage(params, config, gs::ag::Variable(f), gs::ag::Variable(f), opt, &trace);
  const gs::models::GraphGeometry g{3, 56, 72, 7, 9, 7, 9};
  const Tensor style = Tensor::uniform({3, 56, 72}, rng, 0, 1);
  const auto images = gs::models::explain_images(trace, g, style);
  CHECK(images.correspondence.shape() == gs::Shape{3, 56, 72});
  CHECK(gs::max_abs_diff(images.correspondence, style) == 0.f);
  CHECK(images.scale.shape() == gs::Shape{3, 56, 72});
  // s = 1 everywhere: white; k = 1: one edge, entropy 0: black.
  CHECK(gs::max_abs_diff(images.scale, Tensor::ones({3, 56, 72})) == 0.f);
  CHECK(gs::max_abs_diff(images.entropy, Tensor::zeros({3, 56, 72})) == 0.f);

  const std::string path = (fs::temp_directory_path() / "gs_test_dump.h5").string();
  gs::models::dump_graph(path, trace, g, opt);
  const auto file = gs::data::H5File::open_read(path);
  gs::Shape shape;
  const auto edges = file.read_i64("inter/edges", &shape);
  CHECK(shape == gs::Shape{35, 1});  // (7-3+1) x (9-3+1) nodes, k = 1
  for (int64_t i = 0; i < 35; ++i) CHECK(edges[i] == i);  // every node's best match is itself
  CHECK(file.shape("intra/edges") == gs::Shape{35, 3});
  CHECK(file.read_i64("nodes/content_yx")[0] == 1);  // node 0's centre is cell (1, 1) for p = 3
  CHECK(file.attr_int("/", "k") == 1);
  fs::remove(path);
}
