// Looking inside the graph stage, for people who study the model.
//   dump_graph:     node positions, inter and intra edges with their NCC scores, attention weights and
//                   scales, as an HDF5 file (one image).
//   explain_images: pictures the size of the content image: the scale map, the attention-entropy map,
//                   and a correspondence image (each content location coloured by the style image at
//                   the place its strongest message came from).
#pragma once
#include <array>
#include <string>

#include "eval/font.h"

#include "models/graph_stage.h"

namespace gs::models {

struct GraphGeometry {
  int p = 5;
  int64_t content_h = 0, content_w = 0;  // image pixels
  int64_t fc_h = 0, fc_w = 0;            // relu4_1 map of the content
  int64_t fs_h = 0, fs_w = 0;            // relu4_1 map of the style
};

// What dump_graph writes, in memory (edge arrays [nodes, k], positions [n, 2] of (y, x)).
struct GraphDump {
  std::vector<int64_t> content_yx, style_yx;
  graph::Edges inter, intra;  // intra: nodes = 0 when the stage had none
  Tensor inter_attention, intra_attention;  // [nodes, k]
  Tensor s;  // [nodes]
  Tensor S;  // [fc_h, fc_w]; undefined with deformable off
};
GraphDump graph_dump(const GraphTrace& trace, const GraphGeometry& geometry);

void dump_graph(const std::string& path, const GraphTrace& trace, const GraphGeometry& geometry,
                const GraphOptions& options);

struct ExplainImages {
  Tensor scale;           // [3,H,W]: blue = small strokes, white = 1, red = large (log scale, 0.25..4)
  Tensor entropy;         // [3,H,W]: attention entropy / log k, dark = one dominant edge, bright = uniform
  Tensor correspondence;  // [3,H,W]: style pixels gathered along each node's strongest edge
};
// style: [3,Hs,Ws] the style image as fed to the encoder.
ExplainImages explain_images(const GraphTrace& trace, const GraphGeometry& geometry, const Tensor& style);
// The colour maps of the scale and entropy images, for their legends.
std::array<float, 3> scale_colour(float scale);      // log scale: 0.25 blue .. 1 white .. 4 red
std::array<float, 3> entropy_colour(float entropy);  // entropy / log k in [0, 1]: black .. white
// Writes the three images, each with a legend under it (colour bar with values, or a caption) drawn
// with `font` when one is given.
void write_explain_dir(const std::string& dir, const ExplainImages& images, const eval::Font* font = nullptr);

}  // namespace gs::models
