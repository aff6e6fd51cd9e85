// The graph stage of MODEL.md 2: relu4_1 of content and style -> the decoder's input t.
//   edges:   NCC (or euclidean) k-NN style -> content, and NCC kc-NN content -> content + self-loop
//   scales:  the scale predictor (or 1 with deformable off), times stroke
//   F1:      GAT style -> content messages from deformed style patches, folded with averaging (or
//            mean, gin, edgeconv, sage: graph/aggregators.h)
//   F2:      GAT content -> content messages, folded (F1 when kc = 0); mean only with aggregator
//            mean (MODEL.md 2.10), GAT for gin, edgeconv and sage
//   t:       AdaIN(F2, Fs), mixed with Fc (or AdaIN(Fc, Fs)) by alpha
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "autograd/variable.h"
#include "graph/approx_knn.h"
#include "graph/attention.h"
#include "graph/edge_list.h"
#include "graph/edges.h"
#include "graph/ncc_topk.h"
#include "models/config.h"
#include "nn/module.h"

namespace gs::models {

struct GraphOptions {
  int p = 5, k = 5, kc = 5;
  float stroke = 1.f;
  bool deformable = true;
  graph::Aggregator aggregator = graph::Aggregator::gat;
  graph::Metric metric = graph::Metric::ncc;
  // exact: MODEL.md's k-NN; approximate: graph/approx_knn.h's candidate search (large images).
  graph::KnnSearch knn = graph::KnnSearch::exact;
  float alpha = 1.f;
  // What the (1 - alpha) share is: (1 - mix) Fc + mix AdaIN(Fc, Fs). MODEL.md 2.9 is mix = 0. AdaIN(Fc, Fs)
  // keeps the content's layout like Fc but carries the style's channel statistics, so with mix > 0 a
  // lower alpha costs less of the global style (beyond MODEL.md; see README's model card).
  float mix = 0.f;
};

// What the stage computed on the way, for inspection (--dump-graph, --explain-dir) and tests.
struct GraphTrace {
  std::vector<graph::Edges> inter, intra;  // per image
  ag::Variable S, s, alpha, beta, F1, F2;  // S undefined with deformable off, beta with kc = 0
};

// Checks every option against the maps; throws graphstyle::OptionError naming the field (p is "patch").
void check_graph_options(const GraphOptions& opt, const Shape& fc, const Shape& fs);

// Throws graphstyle::OptionError("aggregator") naming `model` (its file, or "the model") and the
// parameters it lacks when the aggregator needs a family (gin, edgeconv, sage) that `params` does not have.
void check_aggregator(const nn::Module& params, int64_t channels, graph::Aggregator aggregator, const std::string& model);

// Called after each part of the stage with its name (inter_edges, intra_edges, scales, gat_inter+fold,
// gat_intra+fold, adain): the bench times the real stage through it.
using PhaseHook = std::function<void(const char* phase)>;

// fc: [N,C,Hc,Wc], fs: [N,C,Hs,Ws] (no gradient) -> t: [N,C,Hc,Wc]. Edges are computed unless given.
ag::Variable graph_stage(const nn::Module& params, const ModelConfig& config, const ag::Variable& fc,
                         const ag::Variable& fs, const GraphOptions& opt, GraphTrace* trace = nullptr,
                         const graph::EdgeList* inter_edges = nullptr, const graph::EdgeList* intra_edges = nullptr,
                         const PhaseHook& phase = {});

}  // namespace gs::models
