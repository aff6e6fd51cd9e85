// Edges: every node has the same number k of in-edges, stored row-major [nodes, k], best first.
#pragma once
#include <cstdint>
#include <vector>

namespace gs::graph {

struct Edges {
  int64_t nodes = 0, k = 0;
  std::vector<int32_t> index;  // [nodes, k]: the source node of each in-edge
  std::vector<float> score;    // [nodes, k]: its NCC (larger is better) or squared distance (smaller is better)

  int32_t source(int64_t node, int64_t m) const { return index[node * k + m]; }
  float score_of(int64_t node, int64_t m) const { return score[node * k + m]; }
  const int32_t* sources(int64_t node) const { return index.data() + node * k; }
  const float* scores(int64_t node) const { return score.data() + node * k; }
};

}  // namespace gs::graph
