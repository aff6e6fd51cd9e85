#include "models/graph_inspect.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "data/atomic_file.h"
#include "data/hdf5_file.h"
#include "data/image.h"
#include "eval/legend.h"

namespace gs::models {

namespace {
// The encoder downsamples by 8: relu4_1 cell (cy, cx) covers image pixels [8cy, 8cy+8) x [8cx, 8cx+8).
constexpr int64_t kStride = 8;

// Content node whose patch centre is the relu4_1 cell (cy, cx); border cells take the nearest node.
int64_t node_at_cell(int64_t cy, int64_t cx, const GraphGeometry& g) {
  const int64_t r = (g.p - 1) / 2, gw = g.fc_w - g.p + 1, gh = g.fc_h - g.p + 1;
  const int64_t oy = std::clamp<int64_t>(cy - r, 0, gh - 1), ox = std::clamp<int64_t>(cx - r, 0, gw - 1);
  return oy * gw + ox;
}

void check_single_image(const GraphTrace& t) {
  if (t.inter.size() != 1) throw std::invalid_argument("graph inspection needs the trace of exactly one image");
}

// Paints one relu4_1-cell value per image pixel through a colour map.
template <class Colour>
Tensor paint_cells(const GraphGeometry& g, Colour colour_of_node) {
  Tensor img = Tensor::empty({3, g.content_h, g.content_w});
  const int64_t plane = g.content_h * g.content_w;
  for (int64_t y = 0; y < g.content_h; ++y)
    for (int64_t x = 0; x < g.content_w; ++x) {
      const auto rgb = colour_of_node(node_at_cell(y / kStride, x / kStride, g));
      for (int c = 0; c < 3; ++c) img.data()[c * plane + y * g.content_w + x] = rgb[c];
    }
  return img;
}
}  // namespace

GraphDump graph_dump(const GraphTrace& trace, const GraphGeometry& g) {
  check_single_image(trace);
  GraphDump d;
  d.inter = trace.inter[0];
  const int64_t r = (g.p - 1) / 2, gw = g.fc_w - g.p + 1, sgw = g.fs_w - g.p + 1;
  const int64_t ns = (g.fs_h - g.p + 1) * sgw;
  // Node centres at relu4_1 resolution (multiply by 8 for image pixels).
  for (int64_t i = 0; i < d.inter.nodes; ++i) d.content_yx.insert(d.content_yx.end(), {i / gw + r, i % gw + r});
  for (int64_t j = 0; j < ns; ++j) d.style_yx.insert(d.style_yx.end(), {j / sgw + r, j % sgw + r});
  d.inter_attention = trace.alpha.value().reshape({d.inter.nodes, d.inter.k}).contiguous();
  d.s = trace.s.value().reshape({d.inter.nodes}).contiguous();
  if (trace.S.defined()) d.S = trace.S.value().reshape({g.fc_h, g.fc_w}).contiguous();
  if (!trace.intra.empty()) {
    d.intra = trace.intra[0];
    d.intra_attention = trace.beta.value().reshape({d.intra.nodes, d.intra.k}).contiguous();
  }
  return d;
}

void dump_graph(const std::string& path, const GraphTrace& trace, const GraphGeometry& g, const GraphOptions& o) {
  const GraphDump d = graph_dump(trace, g);
  const graph::Edges& inter = d.inter;
  data::AtomicFile out(path);
  {
    data::H5File f = data::H5File::create(out.temp_path());
    f.set_attr("/", "description", std::string("graphstyle graph stage of one image: nodes are p x p patches of relu4_1 "
                                               "(MODEL.md 2.1); positions are patch centres in relu4_1 cells (x8 = pixels)"));
    f.set_attr("/", "p", int64_t{o.p});
    f.set_attr("/", "k", int64_t{o.k});
    f.set_attr("/", "kc", int64_t{o.kc});
    f.set_attr("/", "stroke", double{o.stroke});
    f.set_attr("/", "deformable", int64_t{o.deformable});
    f.set_attr("/", "aggregator", std::string(graph::to_string(o.aggregator)));
    f.set_attr("/", "metric", std::string(o.metric == graph::Metric::ncc ? "ncc" : "euclidean"));
    f.write_i64("nodes/content_yx", {inter.nodes, 2}, d.content_yx);
    f.write_i64("nodes/style_yx", {static_cast<int64_t>(d.style_yx.size() / 2), 2}, d.style_yx);
    f.write_i64("inter/edges", {inter.nodes, inter.k}, std::vector<int64_t>(inter.index.begin(), inter.index.end()));
    f.write_tensor("inter/scores", Tensor({inter.nodes, inter.k}, inter.score));
    f.write_tensor("inter/attention", d.inter_attention);
    f.write_tensor("scales/s", d.s);
    if (d.S.defined()) f.write_tensor("scales/S", d.S);
    if (d.intra.nodes) {
      const graph::Edges& intra = d.intra;
      f.write_i64("intra/edges", {intra.nodes, intra.k}, std::vector<int64_t>(intra.index.begin(), intra.index.end()));
      f.write_tensor("intra/scores", Tensor({intra.nodes, intra.k}, intra.score));
      f.write_tensor("intra/attention", d.intra_attention);
    }
  }
  out.commit();
}

std::array<float, 3> scale_colour(float scale) {
  const float v = std::clamp(std::log2(scale) / 2.f, -1.f, 1.f);
  return v < 0 ? std::array<float, 3>{1 + v, 1 + v, 1.f} : std::array<float, 3>{1.f, 1 - v, 1 - v};
}

std::array<float, 3> entropy_colour(float entropy) {
  const float v = std::clamp(entropy, 0.f, 1.f);
  return {v, v, v};
}

ExplainImages explain_images(const GraphTrace& trace, const GraphGeometry& g, const Tensor& style) {
  check_single_image(trace);
  const graph::Edges& inter = trace.inter[0];
  const Tensor s = trace.s.value().contiguous();
  const Tensor alpha = trace.alpha.value().contiguous();
  ExplainImages out;

  out.scale = paint_cells(g, [&](int64_t i) { return scale_colour(s.data()[i]); });

  // Entropy of each node's attention, normalised by its maximum log k.
  const int64_t k = inter.k;
  out.entropy = paint_cells(g, [&](int64_t i) {
    double h = 0;
    for (int64_t m = 0; m < k; ++m) {
      const double a = alpha.data()[i * k + m];
      if (a > 0) h -= a * std::log(a);
    }
    return entropy_colour(k > 1 ? static_cast<float>(h / std::log(double(k))) : 0.f);
  });

  // Correspondence: pixel (y, x) of node i takes the style pixel at the same offset from the centre
  // of i's strongest source patch.
  const Tensor st = style.contiguous();
  const int64_t hs = st.size(1), ws = st.size(2), plane = hs * ws, r = (g.p - 1) / 2, sgw = g.fs_w - g.p + 1;
  out.correspondence = Tensor::empty({3, g.content_h, g.content_w});
  const int64_t out_plane = g.content_h * g.content_w;
  for (int64_t y = 0; y < g.content_h; ++y)
    for (int64_t x = 0; x < g.content_w; ++x) {
      const int64_t cy = y / kStride, cx = x / kStride, i = node_at_cell(cy, cx, g);
      const float* a = alpha.data() + i * k;
      const int64_t best = std::max_element(a, a + k) - a;
      const int64_t j = inter.source(i, best);
      const int64_t content_oy = i / (g.fc_w - g.p + 1), content_ox = i % (g.fc_w - g.p + 1);
      // Offset of this pixel from its node's centre, carried over to the style patch at the node's
      // scale (MODEL.md 2.5 samples the style patch at s_i times the content patch's extent).
      const float si = s.data()[i];
      const float dy = float(y - (content_oy + r) * kStride), dx = float(x - (content_ox + r) * kStride);
      const int64_t sy = std::clamp<int64_t>(std::lround((j / sgw + r) * kStride + si * dy), 0, hs - 1);
      const int64_t sx = std::clamp<int64_t>(std::lround((j % sgw + r) * kStride + si * dx), 0, ws - 1);
      for (int c = 0; c < 3; ++c) out.correspondence.data()[c * out_plane + y * g.content_w + x] = st.data()[c * plane + sy * ws + sx];
    }
  return out;
}

void write_explain_dir(const std::string& dir, const ExplainImages& images, const eval::Font* font) {
  std::filesystem::create_directories(dir);
  if (!font) {
    data::save_image(dir + "/scale_map.png", images.scale);
    data::save_image(dir + "/attention_entropy.png", images.entropy);
    data::save_image(dir + "/correspondence.png", images.correspondence);
    return;
  }
  // The bar runs over log2(scale) in [-2, 2], as scale_colour does.
  const eval::ColourBar scale_bar{"deformable scale s (stroke size)",
                                  [](float t) { return scale_colour(std::exp2(4.f * t - 2.f)); },
                                  {{0.f, "0.25"}, {0.25f, "0.5"}, {0.5f, "1"}, {0.75f, "2"}, {1.f, "4"}}};
  const eval::ColourBar entropy_bar{"attention entropy / log k",
                                    [](float t) { return entropy_colour(t); },
                                    {{0.f, "0: one edge"}, {0.5f, "0.5"}, {1.f, "1: uniform"}}};
  data::save_image(dir + "/scale_map.png", eval::with_legend(images.scale, scale_bar, *font));
  data::save_image(dir + "/attention_entropy.png", eval::with_legend(images.entropy, entropy_bar, *font));
  data::save_image(dir + "/correspondence.png",
                   eval::with_caption(images.correspondence, "style pixels along each patch's strongest edge", *font));
}

}  // namespace gs::models
