// Inter-domain edges for consecutive video frames (beyond MODEL.md; issue 14): each content node's
// k style neighbours lean towards the ones it had in the previous frame, so that the edge sets, and
// with them the output, change less from frame to frame than independent k-NN searches make them.
// The candidates of node i are this frame's k best (graph/ncc_topk.h) and the previous frame's k
// edges of node i, the latter re-scored by their NCC with this frame's patch and given a bonus; the
// k best of that union by score (+ bonus) are kept. A previous edge therefore survives while its
// match stays within `bonus` NCC of the new k-th best. Node i of two frames is the same grid
// position: right for small motion (under 8 pixels between frames, one relu4_1 pixel).
#pragma once
#include <cstdint>

#include "graph/edges.h"
#include "tensor/tensor.h"

namespace gs::graph {

// fc: [C,Hc,Wc], fs: [C,Hs,Ws] -> edges [Nc,k] with NCC scores (MODEL.md 2.2). `previous` may be
// null (the first frame: plain inter_edges) and must otherwise have Nc nodes, k edges into fs's nodes.
Edges sticky_inter_edges(const Tensor& fc, const Tensor& fs, int p, int k, const Edges* previous, float bonus);

// NCC between content patch `node` of fc and style patch `source` of fs for every (node, source)
// pair given as edges [Nc, m]: what the k-NN would score them. fc, fs contiguous [C,H,W].
std::vector<float> edge_ncc(const Tensor& fc, const Tensor& fs, int p, const Edges& pairs);

// The share of edges (node, m) whose source is not among the same node's sources in `other`.
double changed_share(const Edges& a, const Edges& other);

}  // namespace gs::graph
