// Golden-file checkers for the graph stage (graph/): each computes a fixture's op with our code.
#include <cctype>

#include "autograd/ops.h"
#include "graph/deform_sample.h"
#include "graph/message_passing.h"
#include "graph/patches.h"
#include "tools/fixture_case.h"

namespace gs::tools {

namespace {
int64_t patch_size(const FixtureCase& f) { return static_cast<int64_t>(f.option("p")); }

graph::EdgeList edges_input(const FixtureCase& f) {
  Shape shape;
  const std::vector<int64_t> values = f.index_input("edges", &shape);
  return graph::edge_list_from_i64(values, shape);
}

graph::Aggregator aggregator(const FixtureCase& f) {
  return f.has_option("aggregator") ? graph::parse_aggregator(f.option_string("aggregator")) : graph::Aggregator::gat;
}

// "[6, 7]" -> {6, 7}
std::vector<int64_t> parse_ints(const std::string& text) {
  std::vector<int64_t> values;
  for (size_t at = 0; at < text.size();) {
    if (!std::isdigit(static_cast<unsigned char>(text[at]))) {
      ++at;
      continue;
    }
    size_t used = 0;
    values.push_back(std::stoll(text.substr(at), &used));
    at += used;
  }
  return values;
}

void check_unfold(FixtureCase& f) { f.output("cols", graph::unfold(f.input("x"), patch_size(f))); }

void check_fold_average(FixtureCase& f) {
  const std::vector<int64_t> hw = parse_ints(f.option_string("output_hw"));
  if (hw.size() != 2) throw std::runtime_error("fold_average: option output_hw should be [H, W]");
  f.output("y", graph::fold_average(f.input("cols"), hw[0], hw[1], patch_size(f)));
}

void check_deform_sample(FixtureCase& f) {
  f.output("M", graph::deform_sample(f.input("fs"), edges_input(f), f.input("s"), patch_size(f)));
}

// h [N, C*p*p, Nc] = sum_m alpha[:, :, m] * M[:, :, m] (the unfused path: patch columns before the fold).
ag::Variable patch_columns(const ag::Variable& fs, const graph::EdgeList& edges, const ag::Variable& s,
                           const ag::Variable& alpha, int64_t p) {
  const int64_t N = edges.n, Nc = edges.nodes, k = edges.k, D = fs.size(1) * p * p;
  const ag::Variable M = ag::reshape(graph::deform_sample(fs, edges, s, p), {N, Nc, k, D});
  const ag::Variable h = ag::sum(ag::mul(M, ag::reshape(alpha, {N, Nc, k, 1})), {2});  // [N,Nc,D]
  return ag::permute(h, {0, 2, 1});
}

void check_gat_inter(FixtureCase& f) {
  const int64_t p = patch_size(f);
  const graph::EdgeList edges = edges_input(f);
  const ag::Variable fc = f.input("fc"), fs = f.input("fs"), s = f.input("s");
  auto [f1, alpha] = graph::gat_inter(fc, fs, edges, s, f.param("Wc"), f.param("Ws"), f.param("ac"), f.param("as"), p,
                                      aggregator(f));
  f.output("alpha", alpha);
  f.output("F1", f1);
  // Both paths are exact, so the gradients the file seeds into h and into F1 add up correctly.
  f.output("h", patch_columns(fs, edges, s, alpha, p));
}

void check_gat_intra(FixtureCase& f) {
  auto [f2, beta] = graph::gat_intra(f.input("f1"), edges_input(f), f.param("Wk"), f.param("aq"), f.param("ak"),
                                     patch_size(f), aggregator(f));
  f.output("beta", beta);
  f.output("F2", f2);
}
}  // namespace

std::vector<FixtureChecker> graph_fixture_checkers() {
  return {
      {"unfold", check_unfold},
      {"fold_average", check_fold_average},
      {"deform_sample", check_deform_sample},
      {"gat_inter", check_gat_inter},
      {"gat_intra", check_gat_intra},
  };
}

}  // namespace gs::tools
