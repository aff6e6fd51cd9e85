// The max message fold of the edgeconv aggregator (README "Aggregators beyond MODEL.md"):
//   F1 = fold_average over content nodes i of h_i,  h_i = ReLU(patch_i(yc) + max_j sample_ij(ys)),
// the max taken per channel and patch pixel over the k in-edges of node i, sample_ij(ys) the deformable
// sample of the map ys at edge j -> i (MODEL.md 2.5). With ys = Theta_edge Fs and
// yc = (Theta_self - Theta_edge) Fc + b this is max_j ReLU(Theta_self x_i + Theta_edge (M_ij - x_i) + b)
// (ReLU is monotone, and sampling commutes with the 1x1 conv), without forming any e_ij.
//
// Streamed like aggregate_fold (graph/message_passing.h): threads own channel blocks, the max over the
// edges of one patch pixel stays in registers, nothing of size Nc * k * C * p * p is formed. The backward
// recomputes the max instead of storing the argmax: the gradient goes to yc where the ReLU is open, and
// to ys and s through the bilinear weights of the arg-max sample alone (ties: the first edge in the
// node's edge order). ReLU'(0) = 0 as everywhere in the project.
#pragma once
#include <cstdint>

#include "autograd/variable.h"
#include "graph/edge_list.h"

namespace gs::graph {

// ys: [N,C,Hs,Ws], yc: [N,C,Hc,Wc], edges [N,Nc,k] into the style nodes of ys, s: [N,Nc] -> F1: [N,C,Hc,Wc].
// Gradients to ys, yc and s (each only if it requires grad).
ag::Variable max_message_fold(const ag::Variable& ys, const ag::Variable& yc, const EdgeList& edges,
                              const ag::Variable& s, int64_t p);

}  // namespace gs::graph
