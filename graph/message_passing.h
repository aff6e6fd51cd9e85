// Message passing + Patch2Feat, fused and streamed (MODEL.md 2.6 - 2.8).
//
// F1 = fold_average over content nodes i of h_i = sum_j alpha_ij M_ij, with M_ij the deformable
// sample of style patch j at node i's scale. Written naively this holds Nc * k messages of C*p*p
// floats (about 0.9 GB at 64x64x512, p = 5, k = 5); here each alpha_ij * sample is added straight
// into the output map and divided by the coverage count at the end, so nothing of size C*p*p*Nc is
// ever formed. Threads own whole channel blocks (graph/channel_blocks.h): the overlapping windows of
// the fold never race, and a thread's source and output planes stay in its cache.
// Backward recomputes the samples instead of keeping them.
#pragma once
#include <cstdint>

#include "autograd/variable.h"
#include "graph/attention.h"
#include "graph/edge_list.h"

namespace gs::graph {

// fs: [N,C,Hs,Ws], edges [N,Nc,k] into the style nodes, s: [N,Nc], alpha: [N,Nc,k]
//   -> F1: [N,C,height,width], Nc = (height-p+1)(width-p+1).
// Gradients to alpha and s (and to fs only if it requires grad: the encoder features never do).
ag::Variable aggregate_fold(const ag::Variable& fs, const EdgeList& edges, const ag::Variable& s,
                            const ag::Variable& alpha, int64_t p, int64_t height, int64_t width);

// f1: [N,C,H,W], edges [N,Nc,kc+1] into the content nodes of f1, beta: [N,Nc,kc+1] -> F2: [N,C,H,W],
// the fold_average of h'_i = sum_j beta_ij Q_j, Q_j = patch j of f1. Gradients to f1 and beta.
ag::Variable gather_fold(const ag::Variable& f1, const EdgeList& edges, const ag::Variable& beta, int64_t p);

struct GatOutput {
  ag::Variable features;   // F1 or F2: [N,C,H,W]
  ag::Variable attention;  // alpha or beta: [N,Nc,k]
};

// Style -> content stage (MODEL.md 2.6, 2.7): {F1, alpha}. Wc, Ws, ac, as are unused for mean.
GatOutput gat_inter(const ag::Variable& fc, const ag::Variable& fs, const EdgeList& edges, const ag::Variable& s,
                    const ag::Variable& Wc, const ag::Variable& Ws, const ag::Variable& ac, const ag::Variable& as,
                    int64_t p, Aggregator aggregator = Aggregator::gat);

// Content -> content stage (MODEL.md 2.8): {F2, beta}. Wk, aq, ak are unused for mean.
GatOutput gat_intra(const ag::Variable& f1, const EdgeList& edges, const ag::Variable& Wk, const ag::Variable& aq,
                    const ag::Variable& ak, int64_t p, Aggregator aggregator = Aggregator::gat);

}  // namespace gs::graph
