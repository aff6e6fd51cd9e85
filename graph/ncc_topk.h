// k-nearest-neighbour edges of the graph stage (MODEL.md 2.2, 2.3), for one image of the batch.
//
// Nodes are the p x p patches (stride 1, no padding), node i = oy*(W-p+1) + ox. Content node i gets
// in-edges from the k style nodes with the largest NCC (or the smallest squared distance), best
// first, equal scores: smaller index first. Time is about one pixel Gram matrix (p*p fewer flops
// than comparing unfolded patches), on all OpenMP threads. Memory is linear in the image: neither
// the unfolded patches nor the Nc x Ns score matrix is ever stored; what is held is a copy of the
// style map (the content map for intra edges), at most 64 MB of scratch per thread and the k best
// per node (about 280 MB above the inputs for 256x256x512 maps).
#pragma once
#include <cstdint>
#include <vector>

#include "graph/edges.h"
#include "tensor/tensor.h"

namespace gs::graph {

enum class Metric { ncc, euclidean };

// How the work is cut; 0 = chosen from the map sizes and the thread count. Tests force small
// values to exercise band and chunk boundaries. The edges do not depend on it (except where
// float32 rounding decides between near-equal scores).
struct Blocking {
  int64_t band_rows = 0;   // content node rows per task
  int64_t chunk_rows = 0;  // style pixel rows per GEMM
};

// fc: [C,Hc,Wc], fs: [C,Hs,Ws] -> edges [Nc,k]: the k best style nodes of each content node.
// Metric::ncc scores are NCC (MODEL.md 2.2: a constant patch has NCC 0 with every patch);
// Metric::euclidean scores are squared distances of the raw patch vectors, clamped at 0.
Edges inter_edges(const Tensor& fc, const Tensor& fs, int p, int k, Metric metric = Metric::ncc,
                  const Blocking& blocking = {});

// fc: [C,Hc,Wc] -> edges [Nc,kc+1]: the kc content nodes j != i with the largest NCC, then i
// itself (the self-loop is the last column, its score the patch's NCC with itself).
// With `region` ([Nc] labels), only nodes of node i's own region are candidates; a region with kc
// or fewer nodes fills the missing slots with further self-loops (the node then listens to itself).
Edges intra_edges(const Tensor& fc, int p, int kc, const Blocking& blocking = {},
                  const std::vector<int32_t>* region = nullptr);

// The argument checks of inter_edges and intra_edges (std::invalid_argument naming the value), for
// other searches of the same edges.
void check_inter_arguments(const Tensor& fc, const Tensor& fs, int p, int k);
void check_intra_arguments(const Tensor& fc, int p, int kc, const std::vector<int32_t>* region);

}  // namespace gs::graph
