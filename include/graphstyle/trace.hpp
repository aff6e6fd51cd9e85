// What the graph stage did on one stylization, for people who study the model. Pass a Trace to
// Model::stylize (method gnn) and it receives the graph: nodes (patch centres on the content's
// relu4_1 grid), inter edges (style -> content) and intra edges (content -> content) with their
// similarity scores and attention weights, and the predicted scales.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "graphstyle/image.hpp"
#include "graphstyle/export.h"

GRAPHSTYLE_EXPORT_BEGIN
namespace graphstyle {

struct ExplainImages {  // each the size of the content image
  Image scale;           // blue = smaller strokes, white = 1, red = larger (log scale, 0.25..4)
  Image entropy;         // attention entropy / log k: dark = one edge dominates, white = uniform
  Image correspondence;  // each content pixel coloured by the style image where its strongest message came from
};

// The graph of one call, as save_graph writes it, in memory. Positions are patch centres on the
// relu4_1 grids (cells of 8 x 8 image pixels); edge arrays are [nodes, k] row by row.
struct GraphEdges {
  int k = 0;
  std::vector<int> sources;     // the source node of each in-edge (a style node for inter, a content node for intra)
  std::vector<float> scores;    // NCC (larger = more similar) or squared distance (smaller = more similar)
  std::vector<float> attention; // the aggregator's weight of each edge (sums to 1 over a node's k);
                                // 1/k for gin, edgeconv and sage, which weigh no edge above another
};

struct GraphData {
  int p = 0, k = 0, kc = 0;
  float stroke = 1.f;
  bool deformable = true;
  std::string aggregator, metric;  // "gat" | "mean" | "gin" | "edgeconv" | "sage", "ncc" | "euclidean"
  int content_width = 0, content_height = 0;  // image pixels
  int grid_width = 0, grid_height = 0;        // the content's relu4_1 map
  int style_grid_width = 0, style_grid_height = 0;
  std::vector<int> content_yx;  // [nodes, 2]
  std::vector<int> style_yx;    // [style nodes, 2]
  GraphEdges inter;             // style -> content
  GraphEdges intra;             // content -> content; k = 0 when kc was 0
  std::vector<float> scales;    // per content node
  std::vector<float> scale_map; // [grid_height, grid_width]; empty with deformable off
};

class Trace {
 public:
  Trace();
  ~Trace();
  Trace(Trace&&) noexcept;
  Trace& operator=(Trace&&) noexcept;

  bool empty() const;  // nothing traced yet (or an AdaIN call)
  int grid_width() const;   // the content's relu4_1 map
  int grid_height() const;
  int nodes() const;        // content patches: (grid_height - patch + 1) * (grid_width - patch + 1)
  std::vector<float> node_scales() const;  // one per node (all 1 with deformable off)

  // An HDF5 file: node positions, inter and intra edges with scores and attention, the scale map.
  void save_graph(const std::string& path) const;
  GraphData graph() const;  // the same, in memory
  ExplainImages explain() const;
  // scale_map.png, attention_entropy.png, correspondence.png in `dir` (created if missing); with a
  // TrueType font file, each gets a legend under it (a colour bar with values, or a caption).
  void write_explain_dir(const std::string& dir, const std::string& legend_font = "") const;

  struct Impl;
  Impl& impl();  // for the library's own use

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace graphstyle
GRAPHSTYLE_EXPORT_END
