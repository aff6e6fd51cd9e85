#include <doctest/doctest.h>

#include <cmath>

#include "arch/config.h"
#include "gradcheck.h"
#include "graph/aggregators.h"
#include "graph/message_passing.h"
#include "models/init.h"
#include "nn/module.h"
#include "max_fold_reference.h"
#include "nn/conv2d.h"
#include "random_graph.h"
#include "tensor/ops.h"

using gs::Rng;
using gs::Tensor;
using gs::ag::Variable;
using V = std::vector<Variable>;
namespace graph = gs::graph;

namespace {

// x [N,C,H,W] -> |x|: relu4_1 features are >= 0.
Tensor nonnegative(Tensor x) {
  for (int64_t e = 0; e < x.numel(); ++e) x.data()[e] = std::fabs(x.data()[e]);
  return x;
}

// A module with the family's parameters at their initialisation (models/init.h).
gs::nn::Module family_at_init(int64_t C, gs::models::InterFamily family) {
  gs::nn::Module m;
  for (const auto& [name, t] : gs::models::init_family_params(C, family)) m.add_parameter(name, t);
  return m;
}

struct Inputs {
  Tensor fc, fs, s;
  graph::EdgeList edges;
};

Inputs small_inputs(uint64_t seed, int64_t C, int64_t p, int64_t k, int64_t hc = 4, int64_t wc = 5) {
  Rng rng(seed);
  const graph::PatchGrid content = graph::patch_grid(hc, wc, p, "test"), src = graph::patch_grid(5, 6, p, "test");
  Inputs in{nonnegative(Tensor::randn({1, C, hc, wc}, rng)), nonnegative(Tensor::randn({1, C, 5, 6}, rng)), Tensor(),
            gs::test::random_edges(1, content.nodes(), k, src.nodes(), rng)};
  in.s = gs::test::smooth_scales(in.edges, src, rng);
  return in;
}

}  // namespace

TEST_CASE("aggregators: sage at its initialisation is exactly the mean aggregator's F1") {
  const int64_t C = 6, p = 3;
  const Inputs in = small_inputs(81, C, p, 3);
  const Variable fc(in.fc), fs(in.fs), s(in.s), none(Tensor({1}));
  const Tensor mean =
      graph::gat_inter(fc, fs, in.edges, s, none, none, none, none, p, graph::Aggregator::mean).features.value();
  const gs::nn::Module params = family_at_init(C, gs::models::InterFamily::sage);
  const Tensor sage = graph::inter_stage(params, fc, fs, in.edges, s, p, graph::Aggregator::sage).features.value();
  CHECK(gs::max_abs_diff(sage, mean) == 0.f);
}

TEST_CASE("aggregators: edgeconv at its initialisation is the elementwise max of the messages (hand-made)") {
  // One content node (3x3 map, p = 3) with edges from both style nodes of a 3x4 map at s = 1: the
  // messages are the style map's columns 0..2 and 1..3, and F1 is their elementwise max.
  const int64_t C = 2, p = 3;
  Tensor fs = Tensor::zeros({1, C, 3, 4});
  for (int64_t c = 0; c < C; ++c)
    for (int64_t y = 0; y < 3; ++y)
      for (int64_t x = 0; x < 4; ++x) fs.data()[(c * 3 + y) * 4 + x] = static_cast<float>((x * 7 + y * 3 + c * 5) % 11);
  const Tensor fc = Tensor::full({1, C, 3, 3}, 4.f);  // cancels at init: W_self - W_edge = 0
  const graph::EdgeList edges{1, 1, 2, {0, 1}};
  const gs::nn::Module params = family_at_init(C, gs::models::InterFamily::edgeconv);
  const Tensor f1 = graph::inter_stage(params, Variable(fc), Variable(fs), edges, Variable(Tensor::ones({1, 1})), p,
                                       graph::Aggregator::edgeconv)
                        .features.value();
  for (int64_t c = 0; c < C; ++c)
    for (int64_t y = 0; y < 3; ++y)
      for (int64_t x = 0; x < 3; ++x) {
        const float a = fs.data()[(c * 3 + y) * 4 + x], b = fs.data()[(c * 3 + y) * 4 + x + 1];
        CHECK(f1.data()[(c * 3 + y) * 3 + x] == std::max(a, b));
      }
}

TEST_CASE("aggregators: gin at its initialisation is ReLU((Fc + k A) / 6)") {
  const int64_t C = 5, p = 3, k = 5;
  const Inputs in = small_inputs(82, C, p, k);
  const Variable fc(in.fc), fs(in.fs), s(in.s), none(Tensor({1}));
  const Tensor mean =
      graph::gat_inter(fc, fs, in.edges, s, none, none, none, none, p, graph::Aggregator::mean).features.value();
  const gs::nn::Module params = family_at_init(C, gs::models::InterFamily::gin);
  const Tensor gin = graph::inter_stage(params, fc, fs, in.edges, s, p, graph::Aggregator::gin).features.value();
  Tensor expected = mean.clone();
  for (int64_t e = 0; e < expected.numel(); ++e) expected.data()[e] = (in.fc.data()[e] + k * mean.data()[e]) / 6.f;
  CHECK(gs::max_abs_diff(gin, expected) <= 1e-5f);
}

// Biases keep the ReLUs of sage and gin open on these inputs (a finite difference across a ReLU's
// kink is meaningless); their masks are the autograd relu's, tested there.
TEST_CASE("aggregators: sage gradients to its parameters and s (finite differences)") {
  const int64_t C = 3, p = 3;
  const Inputs in = small_inputs(83, C, p, 2);
  Rng rng(84);
  const Tensor Ws = Tensor::randn({C, C}, rng, 0.3f), Wn = Tensor::randn({C, C}, rng, 0.3f);
  const Tensor b = Tensor::full({C}, 4.f);
  gs::test::check_gradients(
      [&](const V& v) {
        return graph::sage_inter(Variable(in.fc), Variable(in.fs), in.edges, v[0], v[1], v[2], v[3], p);
      },
      {in.s, Ws, Wn, b});
}

TEST_CASE("aggregators: gin gradients to its parameters and s (finite differences)") {
  const int64_t C = 3, p = 3;
  const Inputs in = small_inputs(85, C, p, 2);
  Rng rng(86);
  const Tensor eps = Tensor::full({1}, 0.3f), W1 = Tensor::randn({C, C}, rng, 0.3f), W2 = Tensor::randn({C, C}, rng, 0.3f);
  const Tensor b1 = Tensor::full({C}, 6.f), b2 = Tensor::full({C}, 6.f);
  gs::test::check_gradients(
      [&](const V& v) {
        return graph::gin_inter(Variable(in.fc), Variable(in.fs), in.edges, v[0], v[1], v[2], v[3], v[4], v[5], p);
      },
      {in.s, eps, W1, b1, W2, b2});
}

TEST_CASE("aggregators: edgeconv gradients to its parameters and s (finite differences, ties-free)") {
  const int64_t C = 2, p = 3;
  for (uint64_t seed = 87;; ++seed) {  // draw until no max or ReLU input is within the finite differences' reach
    const Inputs in = small_inputs(seed, C, p, 3, 4, 4);
    Rng rng(seed + 1000);
    const Tensor Wself = Tensor::randn({C, C}, rng), Wedge = Tensor::randn({C, C}, rng), b = Tensor::randn({C}, rng);
    // The kernel's inputs as edgeconv_inter forms them: ys = W_edge fs, yc = (W_self - W_edge) fc + b.
    auto conv = [](const Tensor& x, const Tensor& W, const Tensor& bias) {
      return gs::nn::conv2d(Variable(x), Variable(W.view({W.size(0), W.size(1), 1, 1})),
                            bias.defined() ? Variable(bias) : Variable())
          .value();
    };
    const Tensor ys = conv(in.fs, Wedge, Tensor()), yc = conv(in.fc, gs::sub(Wself, Wedge), b);
    float margin = 0;
    gs::test::max_fold_reference(ys, yc, in.edges, in.s, p, &margin);
    // A step of 2e-3 on a parameter moves ys or yc by 2e-3 * |fs| or |fc| (< 4 here) twice over.
    if (margin < 0.05f) continue;
    auto f = [&](const V& v) {
      return graph::edgeconv_inter(Variable(in.fc), Variable(in.fs), in.edges, v[0], v[1], v[2], v[3], p);
    };
    gs::test::GradcheckOptions fine;
    fine.step = 2e-3f;
    gs::test::check_gradients(f, {in.s, Wself, Wedge, b}, {}, fine);
    break;
  }
}

TEST_CASE("aggregators: a missing family is named; gat and mean need none") {
  const int64_t C = 4, p = 3;
  const Inputs in = small_inputs(88, C, p, 2);
  const gs::nn::Module sage = family_at_init(C, gs::models::InterFamily::sage);
  CHECK(graph::missing_inter_params(sage, C, graph::Aggregator::sage).empty());
  CHECK(graph::missing_inter_params(sage, C, graph::Aggregator::gat).empty());
  CHECK(graph::missing_inter_params(sage, C, graph::Aggregator::gin) ==
        "inter.gin.eps, inter.gin.W1, inter.gin.b1, inter.gin.W2, inter.gin.b2");
  CHECK_THROWS_WITH_AS(graph::inter_stage(sage, Variable(in.fc), Variable(in.fs), in.edges, Variable(in.s), p,
                                          graph::Aggregator::edgeconv),
                       doctest::Contains("inter.edgeconv.W_self, inter.edgeconv.W_edge, inter.edgeconv.bias"),
                       std::invalid_argument);
  for (const char* name : {"gat", "mean", "gin", "edgeconv", "sage"})
    CHECK(std::string(graph::to_string(graph::parse_aggregator(name))) == name);
}

TEST_CASE("aggregators: any patch size and k at inference") {
  for (int64_t p : {3, 7})
    for (int64_t k : {1, 9})
      for (auto [agg, family] : {std::pair{graph::Aggregator::gin, gs::models::InterFamily::gin},
                                 std::pair{graph::Aggregator::edgeconv, gs::models::InterFamily::edgeconv},
                                 std::pair{graph::Aggregator::sage, gs::models::InterFamily::sage}}) {
        CAPTURE(p);
        CAPTURE(k);
        Rng rng(89);
        const int64_t C = 4, H = 9, W = 10;
        const graph::PatchGrid content = graph::patch_grid(H, W, p, "test"), src = graph::patch_grid(11, 12, p, "test");
        const graph::EdgeList edges = gs::test::random_edges(1, content.nodes(), k, src.nodes(), rng);
        const Variable fc(nonnegative(Tensor::randn({1, C, H, W}, rng))), fs(nonnegative(Tensor::randn({1, C, 11, 12}, rng)));
        const Variable s(Tensor::uniform({1, content.nodes()}, rng, 0.5f, 2.f));
        const Tensor f1 = graph::inter_stage(family_at_init(C, family), fc, fs, edges, s, p, agg).features.value();
        REQUIRE(f1.shape() == fc.shape());
        bool finite = true;
        for (int64_t e = 0; e < f1.numel(); ++e) finite = finite && std::isfinite(f1.data()[e]);
        CHECK(finite);
      }
}
