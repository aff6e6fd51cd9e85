// RunningTopK: the k best candidates seen so far for each of `nodes` rows, fed one candidate at a
// time while the score matrix streams past (it is never stored). Larger keys are better; equal keys
// keep the smaller index first, so the result does not depend on the order candidates arrive in.
#pragma once
#include <cstdint>
#include <limits>
#include <vector>

namespace gs::graph {

class RunningTopK {
 public:
  RunningTopK(int64_t nodes, int64_t k)
      : nodes_(nodes), k_(k),
        key_(nodes * k, -std::numeric_limits<float>::infinity()),
        index_(nodes * k, std::numeric_limits<int32_t>::max()) {}

  int64_t nodes() const { return nodes_; }
  int64_t k() const { return k_; }
  const float* keys(int64_t node) const { return key_.data() + node * k_; }
  const int32_t* indices(int64_t node) const { return index_.data() + node * k_; }

  // A candidate below this key cannot enter the row: the cheap test before offer().
  float threshold(int64_t node) const { return key_[node * k_ + k_ - 1]; }

  // Inserts (key, index) into the row if it beats the current k-th entry.
  void offer(int64_t node, float key, int32_t index) {
    float* keys = key_.data() + node * k_;
    int32_t* indices = index_.data() + node * k_;
    if (!better(key, index, keys[k_ - 1], indices[k_ - 1])) return;
    int64_t pos = k_ - 1;
    for (; pos > 0 && better(key, index, keys[pos - 1], indices[pos - 1]); --pos) {
      keys[pos] = keys[pos - 1];
      indices[pos] = indices[pos - 1];
    }
    keys[pos] = key;
    indices[pos] = index;
  }

  // Adds the candidates of row `node` of `other` (same shape; disjoint candidates, e.g. another
  // thread's).
  void merge_row(int64_t node, const RunningTopK& other) {
    for (int64_t m = 0; m < k_; ++m) {
      int32_t index = other.indices(node)[m];
      if (index == std::numeric_limits<int32_t>::max()) break;  // the rest of the row is empty
      offer(node, other.keys(node)[m], index);
    }
  }

 private:
  static bool better(float key, int32_t index, float other_key, int32_t other_index) {
    return key > other_key || (key == other_key && index < other_index);
  }

  int64_t nodes_, k_;
  std::vector<float> key_;       // [nodes, k], best first
  std::vector<int32_t> index_;   // [nodes, k]; int32 max marks an empty slot
};

}  // namespace gs::graph
