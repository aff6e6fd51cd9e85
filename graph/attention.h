// GAT attention of the graph stage (MODEL.md 2.6, 2.8), composed from differentiable pieces:
//   e_ij = LeakyReLU_0.2(q_i + key_ij),  attention = softmax of e over the in-edges of node i,
// with q_i the p x p mean of the score map <a, W f> at content node i, and key_ij the same mean of
// the source score map over the samples of edge j -> i. The score maps have one channel: W f (d x H x W)
// is never formed, the map is (a^T W) f.
#pragma once
#include <cstdint>
#include <string>

#include "autograd/variable.h"
#include "graph/edge_list.h"

namespace gs::graph {

// aggregator = mean: attention 1/k on every edge (the GCN ablation, MODEL.md 2.10). gin, edgeconv and
// sage replace the style -> content stage only (graph/aggregators.h); their content -> content stage is
// GAT, and they reach the functions below as gat.
enum class Aggregator { gat, mean, gin, edgeconv, sage };
Aggregator parse_aggregator(const std::string& name);  // "gat", "mean", "gin", "edgeconv", "sage"
const char* to_string(Aggregator aggregator);

constexpr float kLeakySlope = 0.2f;  // LeakyReLU slope; its derivative at 0 is the slope too

// f: [N,C,H,W], W: [d,C], a: [d] -> [N,1,H,W] = <a, W f> per pixel.
ag::Variable score_map(const ag::Variable& f, const ag::Variable& W, const ag::Variable& a);

// q: [N,Nc], key: [N,Nc,k] -> [N,Nc,k] = softmax over k of LeakyReLU_0.2(q_i + key_ij).
ag::Variable edge_softmax(const ag::Variable& q, const ag::Variable& key);

// Style -> content attention alpha [N,Nc,k] (MODEL.md 2.6): fc [N,C,Hc,Wc], fs [N,C,Hs,Ws],
// edges [N,Nc,k] into the style nodes, s [N,Nc]; Wc, Ws [d,C], ac, as [d]. The key of edge j -> i
// samples the style score map exactly like the message M_ij (sampling commutes with the 1x1 conv).
ag::Variable inter_attention(const ag::Variable& fc, const ag::Variable& fs, const EdgeList& edges,
                             const ag::Variable& s, const ag::Variable& Wc, const ag::Variable& Ws,
                             const ag::Variable& ac, const ag::Variable& as, int64_t p, Aggregator aggregator);

// Content -> content attention beta [N,Nc,kc+1] (MODEL.md 2.8): f1 [N,C,H,W], intra edges into the
// content nodes of f1 (self-loop last); Wk [d,C], aq, ak [d].
ag::Variable intra_attention(const ag::Variable& f1, const EdgeList& edges, const ag::Variable& Wk,
                             const ag::Variable& aq, const ag::Variable& ak, int64_t p, Aggregator aggregator);

}  // namespace gs::graph
