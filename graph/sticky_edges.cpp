#include "graph/sticky_edges.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "graph/ncc_topk.h"
#include "graph/patch_stats.h"

namespace gs::graph {

std::vector<float> edge_ncc(const Tensor& fc_in, const Tensor& fs_in, int p, const Edges& pairs) {
  const Tensor fc = fc_in.contiguous(), fs = fs_in.contiguous();
  // The k-NN's own arithmetic (graph/ncc_topk.cpp): shifted maps, window sums, 1/(|z| + eps).
  const ShiftedMap rows{fc.data(), fc.size(0), fc.size(1), fc.size(2), finite_mean(fc.data(), fc.numel(), "content map fc")};
  const ShiftedMap cols{fs.data(), fs.size(0), fs.size(1), fs.size(2), finite_mean(fs.data(), fs.numel(), "style map fs")};
  const PatchStats rs = patch_stats(rows, p), cs = patch_stats(cols, p);
  if (pairs.nodes != rs.nodes())
    throw std::invalid_argument("edge_ncc: " + std::to_string(pairs.nodes) + " nodes, the content map has " +
                                std::to_string(rs.nodes()));
  for (int32_t j : pairs.index)  // checked here: an exception must not leave the parallel loop
    if (j < 0 || j >= cs.nodes())
      throw std::out_of_range("edge_ncc: source node " + std::to_string(j) + " outside the style map's " +
                              std::to_string(cs.nodes()) + " nodes");
  const float inv_d = 1.f / static_cast<float>(rows.C * p * p);
  std::vector<float> out(pairs.index.size());
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < pairs.nodes; ++i) {
    const int64_t oy_i = i / rs.grid_w, ox_i = i % rs.grid_w;
    for (int64_t m = 0; m < pairs.k; ++m) {
      const int64_t j = pairs.source(i, m);
      const int64_t oy_j = j / cs.grid_w, ox_j = j % cs.grid_w;
      double dot = 0;
      for (int64_t c = 0; c < rows.C; ++c)
        for (int u = 0; u < p; ++u)
          for (int v = 0; v < p; ++v) dot += double(rows.at(c, oy_i + u, ox_i + v)) * cols.at(c, oy_j + u, ox_j + v);
      out[i * pairs.k + m] =
          (static_cast<float>(dot) - rs.sum[i] * cs.sum[j] * inv_d) * (rs.inv_norm[i] * cs.inv_norm[j]);
    }
  }
  return out;
}

Edges sticky_inter_edges(const Tensor& fc, const Tensor& fs, int p, int k, const Edges* previous, float bonus) {
  Edges now = inter_edges(fc, fs, p, k, Metric::ncc);
  if (!previous) return now;
  if (previous->nodes != now.nodes || previous->k != k)
    throw std::invalid_argument("sticky_inter_edges: the previous frame's edges are " + std::to_string(previous->nodes) +
                                " x " + std::to_string(previous->k) + ", this frame's " + std::to_string(now.nodes) +
                                " x " + std::to_string(k));
  const std::vector<float> kept = edge_ncc(fc, fs, p, *previous);
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < now.nodes; ++i) {
    struct Candidate {
      float key, score;
      int32_t source;
    };
    std::vector<Candidate> c;
    for (int64_t m = 0; m < k; ++m)
      c.push_back({kept[i * k + m] + bonus, kept[i * k + m], previous->source(i, m)});
    for (int64_t m = 0; m < k; ++m) {
      const int32_t j = now.source(i, m);
      if (std::none_of(c.begin(), c.begin() + k, [&](const Candidate& x) { return x.source == j; }))
        c.push_back({now.score_of(i, m), now.score_of(i, m), j});
    }
    // The k best by key; equal keys: the smaller source first (as the k-NN orders ties).
    std::sort(c.begin(), c.end(), [](const Candidate& a, const Candidate& b) {
      return a.key > b.key || (a.key == b.key && a.source < b.source);
    });
    for (int64_t m = 0; m < k; ++m) {
      now.index[i * k + m] = c[m].source;
      now.score[i * k + m] = c[m].score;
    }
  }
  return now;
}

double changed_share(const Edges& a, const Edges& other) {
  if (a.nodes != other.nodes || a.k != other.k || a.nodes == 0) return 1.0;
  int64_t changed = 0;
  for (int64_t i = 0; i < a.nodes; ++i)
    for (int64_t m = 0; m < a.k; ++m)
      if (std::find(other.sources(i), other.sources(i) + other.k, a.source(i, m)) == other.sources(i) + other.k) ++changed;
  return static_cast<double>(changed) / static_cast<double>(a.nodes * a.k);
}

}  // namespace gs::graph
