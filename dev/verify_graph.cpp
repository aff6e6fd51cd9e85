// Golden-file checkers for the graph stage (graph/): each computes a fixture's op with our code.
#include <cctype>

#include "autograd/ops.h"
#include "graph/deform_sample.h"
#include "graph/message_passing.h"
#include "graph/ncc_topk.h"
#include "graph/patches.h"
#include "graph/scale_predictor.h"
#include "models/graph_stage.h"
#include "dev/fixture_case.h"

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

// Per-image edges of a batch as the int64 [N, Nc, k] layout of the golden files, and their scores.
void output_edges(FixtureCase& f, const std::string& name, const std::string& score_name,
                  const std::vector<graph::Edges>& edges) {
  std::vector<int64_t> index;
  std::vector<float> scores;
  for (const graph::Edges& e : edges) {
    index.insert(index.end(), e.index.begin(), e.index.end());
    scores.insert(scores.end(), e.score.begin(), e.score.end());
  }
  f.output_index(name, index);
  if (!score_name.empty()) {
    const int64_t n = static_cast<int64_t>(edges.size());
    f.compare("outputs/" + score_name, Tensor({n, edges[0].nodes, edges[0].k}, scores));
  }
}

graph::Metric metric(const FixtureCase& f) {
  const std::string m = f.has_option("metric") ? f.option_string("metric") : "ncc";
  if (m == "ncc") return graph::Metric::ncc;
  if (m == "euclidean") return graph::Metric::euclidean;
  throw std::runtime_error("unknown metric " + m);
}

// The full score matrix (outputs/scores) is deliberately never formed: edges and their scores are.
void check_inter_edges(FixtureCase& f) {
  const Tensor fc = f.input("fc").value(), fs = f.input("fs").value();
  std::vector<graph::Edges> edges;
  for (int64_t n = 0; n < fc.size(0); ++n)
    edges.push_back(graph::inter_edges(fc.select(0, n), fs.select(0, n), static_cast<int>(patch_size(f)),
                                       static_cast<int>(f.option("k")), metric(f)));
  output_edges(f, "edges", "edge_scores", edges);
}

void check_intra_edges(FixtureCase& f) {
  const Tensor fc = f.input("fc").value();
  std::vector<graph::Edges> edges;
  for (int64_t n = 0; n < fc.size(0); ++n)
    edges.push_back(graph::intra_edges(fc.select(0, n), static_cast<int>(patch_size(f)), static_cast<int>(f.option("kc"))));
  output_edges(f, "edges", "", edges);
}

// Graph parameters under their canonical names, as far as the file has them.
nn::Module graph_params(FixtureCase& f) {
  nn::Module m;
  for (const std::string& name : f.file().members("params")) {
    // The module must hold the very variable the fixture tracks, so that gradients land on it.
    const ag::Variable v = f.param(name);
    m.add_parameter(name, v.value());
    m.parameters().back().var = v;
  }
  return m;
}

void check_scale_predictor(FixtureCase& f) {
  nn::Module params = graph_params(f);
  const ag::Variable S = graph::scale_map(params, f.input("fc"), static_cast<float>(f.option("s_min")),
                                          static_cast<float>(f.option("s_max")));
  f.output("S", S);
  f.output("s", graph::node_scales(S, patch_size(f), static_cast<float>(f.option("stroke"))));
}

void check_graph_stage(FixtureCase& f) {
  nn::Module params = graph_params(f);
  models::GraphOptions opt;
  opt.p = static_cast<int>(f.option("p"));
  opt.k = static_cast<int>(f.option("k"));
  opt.kc = static_cast<int>(f.option("kc"));
  opt.stroke = static_cast<float>(f.option("stroke"));
  opt.deformable = f.option("deformable") != 0;
  opt.aggregator = aggregator(f);
  opt.metric = metric(f);
  opt.alpha = static_cast<float>(f.option("alpha"));
  models::ModelConfig config;  // s_min, s_max as in MODEL.md
  models::GraphTrace trace;
  const ag::Variable t = models::graph_stage(params, config, f.input("fc"), f.input("fs"), opt, &trace);
  f.output("t", t);
  f.output("F1", trace.F1);
  f.output("F2", trace.F2);
  f.output("s", trace.s);
  f.output("alpha", trace.alpha);
  if (opt.deformable) f.output("S", trace.S);
  if (opt.kc > 0) {
    f.output("beta", trace.beta);
    output_edges(f, "intra_edges", "", trace.intra);
  }
  output_edges(f, "edges", "edge_scores", trace.inter);
}
}  // namespace

std::vector<FixtureChecker> graph_fixture_checkers() {
  return {
      {"unfold", check_unfold},
      {"fold_average", check_fold_average},
      {"deform_sample", check_deform_sample},
      {"gat_inter", check_gat_inter},
      {"gat_intra", check_gat_intra},
      {"inter_edges", check_inter_edges},
      {"intra_edges", check_intra_edges},
      {"scale_predictor", check_scale_predictor},
      {"graph_stage", check_graph_stage},
  };
}

}  // namespace gs::tools
