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
