// Style -> content aggregators beyond MODEL.md (README "Aggregators beyond MODEL.md"), each a
// replacement for gat_inter's F1. x_i is content node i's patch of Fc, M_ij the resampled style patch
// (MODEL.md 2.5), fold_avg Patch2Feat (2.7), A = fold_avg((1/k) sum_j M_ij) (aggregate_fold with
// alpha = 1/k). Every W is a C x C 1x1 conv (stored [out, in]) acting on each pixel.
//   sage:     F1 = ReLU(W_self Fc + W_neigh A + b)                  (= fold_avg of the per-patch map)
//   gin:      F1 = MLP((1 + eps) Fc + k A),  MLP(y) = ReLU(W2 ReLU(W1 y + b1) + b2), after the fold
//   edgeconv: F1 = fold_avg(max_j ReLU(W_self x_i + W_edge (M_ij - x_i) + b)), via max_message_fold
// sage and gin are composed from autograd ops; the content features get no gradient (MODEL.md 2.5).
#pragma once
#include <cstdint>

#include "arch/config.h"
#include "autograd/variable.h"
#include "graph/attention.h"
#include "graph/edge_list.h"
#include "graph/message_passing.h"
#include "nn/module.h"

namespace gs::graph {

// fc: [N,C,Hc,Wc], fs: [N,C,Hs,Ws], s: [N,Nc]; W_*: [C,C], bias: [C] -> F1: [N,C,Hc,Wc].
ag::Variable sage_inter(const ag::Variable& fc, const ag::Variable& fs, const EdgeList& edges, const ag::Variable& s,
                        const ag::Variable& W_self, const ag::Variable& W_neigh, const ag::Variable& bias, int64_t p);

// eps: [1], W1, W2: [C,C], b1, b2: [C] -> F1: [N,C,Hc,Wc].
ag::Variable gin_inter(const ag::Variable& fc, const ag::Variable& fs, const EdgeList& edges, const ag::Variable& s,
                       const ag::Variable& eps, const ag::Variable& W1, const ag::Variable& b1, const ag::Variable& W2,
                       const ag::Variable& b2, int64_t p);

// W_self, W_edge: [C,C], bias: [C] -> F1: [N,C,Hc,Wc].
ag::Variable edgeconv_inter(const ag::Variable& fc, const ag::Variable& fs, const EdgeList& edges,
                            const ag::Variable& s, const ag::Variable& W_self, const ag::Variable& W_edge,
                            const ag::Variable& bias, int64_t p);

// The style -> content stage for any aggregator, parameters by canonical name from `params`
// (inter.Wc, ... for gat; inter.<aggregator>.* for the others). {F1, attention}: the new aggregators
// weigh no edge above another, and report 1/k on every edge. Throws std::invalid_argument naming the
// missing parameters when `params` lacks the aggregator's family.
GatOutput inter_stage(const nn::Module& params, const ag::Variable& fc, const ag::Variable& fs, const EdgeList& edges,
                      const ag::Variable& s, int64_t p, Aggregator aggregator);

// The parameter family an aggregator needs: none for gat and mean.
models::InterFamily inter_family(Aggregator aggregator);

// "inter.gin.eps, inter.gin.W1, ..." for the aggregator's parameters that `params` lacks; "" when none.
std::string missing_inter_params(const nn::Module& params, int64_t channels, Aggregator aggregator);

}  // namespace gs::graph
