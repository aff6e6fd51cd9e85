// EdgeList: the in-edges of every content node of a batch, as the graph layers read them.
//
// index[(b * nodes + i) * k + m] is the m-th source node of node i in image b (MODEL.md 2.2, 2.3:
// best first; for intra edges the self-loop is last). Source nodes are patch indices
// j = oy * (W - p + 1) + ox of the source map. A plain struct so that per-image edge lists (the
// k-NN's output) or a fixture's int64 dataset are easy to pack into it.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace gs::graph {

struct EdgeList {
  int64_t n = 0, nodes = 0, k = 0;  // images, content nodes per image, in-edges per node
  std::vector<int32_t> index;       // [n, nodes, k]

  int64_t size() const { return n * nodes * k; }
  Shape shape() const { return {n, nodes, k}; }
  const int32_t* image(int64_t b) const { return index.data() + b * nodes * k; }
};

// From an int64 [N, Nc, k] array (a golden file's `inputs/edges`).
inline EdgeList edge_list_from_i64(const std::vector<int64_t>& values, const Shape& shape) {
  if (shape.size() != 3 || shape_numel(shape) != static_cast<int64_t>(values.size()))
    throw std::invalid_argument("edges must be [N, Nc, k], got shape " + shape_str(shape) + " with " +
                                std::to_string(values.size()) + " values");
  EdgeList e{shape[0], shape[1], shape[2], {}};
  e.index.reserve(values.size());
  for (int64_t v : values) {
    if (v < 0 || v > INT32_MAX) throw std::out_of_range("edge index " + std::to_string(v) + " is not a node index");
    e.index.push_back(static_cast<int32_t>(v));
  }
  return e;
}

// Stacks per-image edge lists into one batch. ImageEdges is anything with `nodes`, `k` and an int32
// `index` of nodes * k entries (the k-NN's per-image output is such a struct).
template <class ImageEdges>
EdgeList stack_edges(const std::vector<ImageEdges>& images) {
  if (images.empty()) throw std::invalid_argument("stack_edges: no images");
  EdgeList e{static_cast<int64_t>(images.size()), images[0].nodes, images[0].k, {}};
  for (size_t b = 0; b < images.size(); ++b) {
    const ImageEdges& im = images[b];
    if (im.nodes != e.nodes || im.k != e.k || static_cast<int64_t>(im.index.size()) != im.nodes * im.k)
      throw std::invalid_argument("stack_edges: image " + std::to_string(b) + " has " + std::to_string(im.nodes) +
                                  " nodes x k = " + std::to_string(im.k) + " (" + std::to_string(im.index.size()) +
                                  " indices), image 0 has " + std::to_string(e.nodes) + " x " + std::to_string(e.k));
    e.index.insert(e.index.end(), im.index.begin(), im.index.end());
  }
  return e;
}

// Checks that `edges` fits a batch of n images with `nodes` content nodes each and that every
// index names one of `sources` source nodes; `what` names the caller in the error.
inline void check_edges(const EdgeList& edges, int64_t n, int64_t nodes, int64_t sources, const std::string& what) {
  if (edges.n != n || edges.nodes != nodes || edges.k < 1 ||
      static_cast<int64_t>(edges.index.size()) != edges.size())
    throw std::invalid_argument(what + ": edges " + shape_str(edges.shape()) + " (" +
                                std::to_string(edges.index.size()) + " indices) do not fit " + std::to_string(n) +
                                " images of " + std::to_string(nodes) + " content nodes");
  if (edges.k > sources)
    throw std::invalid_argument(what + ": k = " + std::to_string(edges.k) + " edges per node but the source map has only " +
                                std::to_string(sources) + " nodes");
  for (int64_t e = 0; e < edges.size(); ++e)
    if (edges.index[e] < 0 || edges.index[e] >= sources)
      throw std::out_of_range(what + ": edge " + std::to_string(e) + " points to node " +
                              std::to_string(edges.index[e]) + ", outside [0, " + std::to_string(sources) + ")");
}

}  // namespace gs::graph
