// Approximate k-NN edges for large maps: the same edges as graph/ncc_topk.h where the search finds
// them, in time linear in the nodes instead of Nc x Ns.
//
// Candidates for content node i come from three places, and each is scored with the exact NCC (or
// squared distance) of MODEL.md 2.2, ranked like the exact k-NN (equal scores: smaller index first):
//   1. a coarse level: both maps average-pooled by a factor s, the exact k-NN there (patch size
//      about p/s) with 2k neighbours, each coarse match J of i's coarse node mapped back to the fine patch at the same
//      offset inside J's cell, widened by a 3 x 3 window (intra: the coarse self-loop seeds i's own
//      neighbourhood);
//   2. propagation (PatchMatch): a match j of a grid neighbour of i, shifted by the same step, in
//      alternating raster orders;
// The pooling factor is the smallest power of 2 that brings the coarse k-NN under about 16k x 16k
// patch pairs; when no pooling is needed (maps of up to about 128 x 128), the result is the exact one.
// The result does not depend on the thread count (the bands are fixed, each is scanned in order).
#pragma once
#include <cstdint>
#include <vector>

#include "graph/edges.h"
#include "graph/ncc_topk.h"
#include "tensor/tensor.h"

namespace gs::graph {

enum class KnnSearch { exact, approximate };

struct ApproxOptions {
  int pool = 0;    // pooling factor of the coarse level (a power of 2); 0 = chosen from the map sizes
  int rounds = 2;  // propagation rounds (forward, backward, ...)
};

// The pooling factor the options and map sizes give (1: no pooling, the exact k-NN runs).
int approx_pool_factor(int64_t rows_pixels, int64_t cols_pixels, int p, const ApproxOptions& opt);

// fc: [C,Hc,Wc], fs: [C,Hs,Ws] -> edges [Nc,k], like inter_edges.
Edges approx_inter_edges(const Tensor& fc, const Tensor& fs, int p, int k, Metric metric = Metric::ncc,
                         const ApproxOptions& opt = {});

// fc: [C,Hc,Wc] -> edges [Nc,kc+1], like intra_edges (the self-loop last; with `region`, only nodes
// of i's own region are candidates and missing slots are further self-loops).
Edges approx_intra_edges(const Tensor& fc, int p, int kc, const std::vector<int32_t>* region = nullptr,
                         const ApproxOptions& opt = {});

// The edges by the chosen search: the exact k-NN, or the approximate one above.
Edges find_inter_edges(const Tensor& fc, const Tensor& fs, int p, int k, Metric metric, KnnSearch search);
Edges find_intra_edges(const Tensor& fc, int p, int kc, KnnSearch search, const std::vector<int32_t>* region = nullptr);

// Fraction of the exact edges (first k columns of each row) that `approx` also holds, in any column.
double edge_recall(const Edges& exact, const Edges& approx, int64_t k);

}  // namespace gs::graph
