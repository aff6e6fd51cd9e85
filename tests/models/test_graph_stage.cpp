// The GNN stylizer end to end with real weights, stage by stage against the PyTorch reference
// (fixtures/e2e/chicago_starry_night_256, graph parameters gnn_seed1_graph.pth).
#include "graphstyle/error.hpp"
#include "models/graph_stage.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "e2e_fixture.h"
#include "nn/statistics.h"
#include "train/tiny_training.h"

using gs::Tensor;
using gs::test::shared_file;

namespace {
struct Case {
  const char* file;
  int k;
  bool deformable;
};

// Number of nodes whose edge *set* differs from the reference (the order of near-equal edges may
// legitimately differ: softmax and sum run over the set).
int64_t differing_sets(const std::vector<gs::graph::Edges>& ours, const std::vector<int64_t>& ref) {
  const gs::graph::Edges& e = ours[0];
  int64_t bad = 0;
  for (int64_t i = 0; i < e.nodes; ++i) {
    std::vector<int64_t> a(e.sources(i), e.sources(i) + e.k), b(ref.begin() + i * e.k, ref.begin() + (i + 1) * e.k);
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    bad += a != b;
  }
  return bad;
}

// max |ours - ref| of per-edge values (alpha, beta), matching edges by their source node.
double max_diff_by_source(const std::vector<gs::graph::Edges>& edges, const Tensor& ours, const std::vector<int64_t>& ref_edges,
                          const std::vector<double>& ref) {
  const gs::graph::Edges& e = edges[0];
  const Tensor o = ours.contiguous();
  double worst = 0;
  for (int64_t i = 0; i < e.nodes; ++i)
    for (int64_t m = 0; m < e.k; ++m)
      for (int64_t r = 0; r < e.k; ++r)
        if (ref_edges[i * e.k + r] == e.source(i, m))
          worst = std::max(worst, std::fabs(double(o.data()[i * e.k + m]) - ref[i * e.k + r]));
  return worst;
}

double max_diff(const Tensor& ours, const std::vector<double>& ref) {
  const Tensor o = ours.contiguous();
  double worst = 0;
  for (size_t i = 0; i < ref.size(); ++i) worst = std::max(worst, std::fabs(double(o.data()[i]) - ref[i]));
  return worst;
}

// Per-channel sums of a [1,C,H,W] map against the reference's float64 sums, relative to their size.
double max_rel_channel_sum_diff(const Tensor& x, const std::vector<double>& ref_sum) {
  const Tensor s = gs::sum(x, {0, 2, 3});
  double worst = 0;
  for (size_t c = 0; c < ref_sum.size(); ++c)
    worst = std::max(worst, std::fabs(double(s.data()[c]) - ref_sum[c]) / (std::fabs(ref_sum[c]) + 1.0));
  return worst;
}
}  // namespace

TEST_CASE("graph stage e2e: edges, scales, attention, F1/F2/t and the output match PyTorch") {
  const std::string dir = shared_file(gs::test::kE2EDir);
  const std::string graph = shared_file("fixtures/e2e/gnn_seed1_graph.pth");
  if (dir.empty() || graph.empty() || shared_file("weights/decoder.pth").empty()) return;
  const gs::models::Stylizer model = gs::test::real_model(graph);
  const gs::ag::Variable fc(gs::test::load_parts(dir, "Fc", "Fc", 8)), fs(gs::test::load_parts(dir, "Fs", "Fs", 8));

  for (const Case& c : {Case{"gnn_k5_kc5_p5", 5, true}, Case{"gnn_k1", 1, true}, Case{"gnn_deformable_off", 5, false}}) {
    const std::string name = c.file;
    CAPTURE(name);
    const gs::data::H5File ref = gs::data::H5File::open_golden(dir + "/" + c.file + ".h5");
    gs::models::GraphOptions opt;
    opt.k = c.k;
    opt.deformable = c.deformable;
    gs::models::GraphTrace trace;
    gs::ag::NoGradGuard no_grad;
    const gs::ag::Variable t = gs::models::graph_stage(model.params(), model.config(), fc, fs, opt, &trace);

    const std::vector<int64_t> ref_edges = ref.read_i64("outputs/edges"), ref_intra = ref.read_i64("outputs/intra");
    // For this pair every boundary gap is >= 1e-5 (fixtures README): no set may differ.
    CHECK(differing_sets(trace.inter, ref_edges) == 0);
    CHECK(differing_sets(trace.intra, ref_intra) == 0);
    if (c.deformable) {
      const double ds = max_diff(trace.s.value(), ref.read_f64("outputs/s"));
      MESSAGE(name << ": node scales max abs diff " << ds);
      CHECK(ds < 1e-5);  // s is a sigmoid of two convs on relu4_1: float32 rounding, ~1e-7 relative
    }
    // alpha, beta are softmaxes of logits of size ~1: float32 agreement to ~1e-6, here 1e-5.
    const double da = max_diff_by_source(trace.inter, trace.alpha.value(), ref_edges, ref.read_f64("outputs/alpha"));
    const double db = max_diff_by_source(trace.intra, trace.beta.value(), ref_intra, ref.read_f64("outputs/beta"));
    MESSAGE(name << ": alpha " << da << ", beta " << db);
    CHECK(da < 1e-5);
    CHECK(db < 1e-5);
    // Feature maps reach ~20; the reference's own float32/float64 difference at t is ~1e-5.
    const double dt = max_diff(t.value().slice(1, 0, 8), ref.read_f64("outputs/t_first_channels"));
    const double d1 = max_diff(trace.F1.value().slice(1, 0, 8), ref.read_f64("outputs/F1_first_channels"));
    const double d2 = max_diff(trace.F2.value().slice(1, 0, 8), ref.read_f64("outputs/F2_first_channels"));
    const double st = max_rel_channel_sum_diff(t.value(), ref.read_f64("stats/t_sum"));
    MESSAGE(name << ": F1 " << d1 << ", F2 " << d2 << ", t " << dt << " (first 8 channels), t channel sums rel " << st);
    CHECK(d1 < 1e-4);
    CHECK(d2 < 1e-4);
    CHECK(dt < 1e-4);
    CHECK(st < 1e-5);

    const Tensor out = model.decode(t).value();
    const Tensor ref_out = gs::test::load_parts(dir, std::string(c.file) + "_output", std::string(c.file) + "_output", 3);
    const double db_psnr = gs::test::psnr(out, ref_out);
    MESSAGE(name << ": output PSNR " << db_psnr << " dB");
    CHECK(db_psnr >= 40.0);
  }
}

TEST_CASE("graph stage e2e: the whole GNN stylization from the PNG files (PSNR >= 40 dB)") {
  const std::string dir = shared_file(gs::test::kE2EDir);
  const std::string graph = shared_file("fixtures/e2e/gnn_seed1_graph.pth");
  const std::string c = shared_file("fixtures/e2e/inputs/chicago_256.png");
  const std::string s = shared_file("fixtures/e2e/inputs/starry_night_256.png");
  if (dir.empty() || graph.empty() || c.empty() || s.empty() || shared_file("weights/decoder.pth").empty()) return;
  const gs::models::Stylizer model = gs::test::real_model(graph);
  const Tensor out = model.stylize_gnn(gs::data::load_image(c).unsqueeze(0), gs::data::load_image(s).unsqueeze(0), {});
  const Tensor ref = gs::test::load_parts(dir, "gnn_k5_kc5_p5_output", "gnn_k5_kc5_p5_output", 3);
  const double db = gs::test::psnr(out, ref);
  MESSAGE("GNN 256 from PNG: PSNR " << db << " dB, max abs diff " << gs::max_abs_diff(out, ref));
  CHECK(db >= 40.0);
}

TEST_CASE("graph stage: impossible settings are errors naming the option") {
  const gs::Shape fc{1, 8, 10, 10}, fs{1, 8, 6, 6};
  gs::models::GraphOptions o;
  o.p = 4;
  CHECK_THROWS_WITH_AS(gs::models::check_graph_options(o, fc, fs), doctest::Contains("must be odd"), graphstyle::OptionError);
  o = {};
  o.k = 5;
  o.p = 5;
  CHECK_THROWS_WITH_AS(gs::models::check_graph_options(o, fc, fs), doctest::Contains("k 5 must be in 1..4"),
                       graphstyle::OptionError);
  o = {};
  o.p = 7;
  CHECK_THROWS_WITH_AS(gs::models::check_graph_options(o, fc, fs), doctest::Contains("style image too small"),
                       graphstyle::OptionError);
  o = {};
  o.p = 3;
  o.kc = 64;
  CHECK_THROWS_WITH_AS(gs::models::check_graph_options(o, fc, fs), doctest::Contains("kc 64 must be in 0..63"),
                       graphstyle::OptionError);
}

TEST_CASE("graph stage: alpha mixes in Fc, or AdaIN(Fc, Fs) with mix = 1") {
  const gs::models::Stylizer model = gs::test::tiny_model(3);
  gs::Rng rng(7);
  const gs::ag::Variable fc(gs::Tensor::randn({1, 8, 6, 6}, rng)), fs(gs::Tensor::randn({1, 8, 5, 5}, rng));
  gs::models::GraphOptions o;
  o.p = 3;
  o.k = 3;
  o.kc = 2;
  const gs::Tensor t1 = gs::models::graph_stage(model.params(), model.config(), fc, fs, o).value();
  o.alpha = 0.25f;
  const gs::Tensor with_content = gs::models::graph_stage(model.params(), model.config(), fc, fs, o).value();
  o.mix = 1.f;
  const gs::Tensor with_adain = gs::models::graph_stage(model.params(), model.config(), fc, fs, o).value();
  const gs::Tensor adain = gs::nn::adain_mix(fc, fs, 1.f).value();
  float d_content = 0, d_adain = 0;
  for (int64_t i = 0; i < t1.numel(); ++i) {
    d_content = std::max(d_content, std::abs(with_content.data()[i] - (0.25f * t1.data()[i] + 0.75f * fc.value().data()[i])));
    d_adain = std::max(d_adain, std::abs(with_adain.data()[i] - (0.25f * t1.data()[i] + 0.75f * adain.data()[i])));
  }
  CHECK(d_content < 1e-5f);
  CHECK(d_adain < 1e-5f);
  CHECK(gs::max_abs_diff(with_content, with_adain) > 0.1f);  // the two mixes are different things
}
