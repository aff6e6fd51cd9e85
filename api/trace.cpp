// graphstyle::Trace: the graph stage's intermediates of one call, and the inspection files made from them.
#include <optional>
#include <stdexcept>

#include "api/convert.h"
#include "api/model_impl.h"
#include "eval/font.h"

namespace graphstyle {

namespace {
const Trace::Impl& filled(const Trace::Impl& t) {
  if (!t.filled) throw Error(ErrorCode::invalid_argument, "trace is empty: pass it to a stylize call with method gnn first");
  return t;
}
}  // namespace

Trace::Trace() : impl_(std::make_unique<Impl>()) {}
Trace::~Trace() = default;
Trace::Trace(Trace&&) noexcept = default;
Trace& Trace::operator=(Trace&&) noexcept = default;
Trace::Impl& Trace::impl() { return *impl_; }

bool Trace::empty() const { return !impl_->filled; }
int Trace::grid_width() const { return static_cast<int>(impl_->geometry.fc_w); }
int Trace::grid_height() const { return static_cast<int>(impl_->geometry.fc_h); }

int Trace::nodes() const {
  if (!impl_->filled) return 0;
  const gs::models::GraphGeometry& g = impl_->geometry;
  return static_cast<int>((g.fc_h - g.p + 1) * (g.fc_w - g.p + 1));
}

std::vector<float> Trace::node_scales() const {
  return detail::translate([&] { return filled(*impl_).trace.s.value().contiguous().to_vector(); });
}

void Trace::save_graph(const std::string& path) const {
  detail::translate([&] {
    const Impl& t = filled(*impl_);
    gs::models::dump_graph(path, t.trace, t.geometry, t.options);
  });
}

GraphData Trace::graph() const {
  return detail::translate([&] {
    const Impl& t = filled(*impl_);
    const gs::models::GraphGeometry& g = t.geometry;
    const gs::models::GraphOptions& o = t.options;
    const gs::models::GraphDump d = gs::models::graph_dump(t.trace, g);
    GraphData out;
    out.p = o.p;
    out.k = o.k;
    out.kc = o.kc;
    out.stroke = o.stroke;
    out.deformable = o.deformable;
    out.aggregator = gs::graph::to_string(o.aggregator);
    out.metric = o.metric == gs::graph::Metric::ncc ? "ncc" : "euclidean";
    out.content_width = static_cast<int>(g.content_w);
    out.content_height = static_cast<int>(g.content_h);
    out.grid_width = static_cast<int>(g.fc_w);
    out.grid_height = static_cast<int>(g.fc_h);
    out.style_grid_width = static_cast<int>(g.fs_w);
    out.style_grid_height = static_cast<int>(g.fs_h);
    out.content_yx.assign(d.content_yx.begin(), d.content_yx.end());
    out.style_yx.assign(d.style_yx.begin(), d.style_yx.end());
    const auto edges = [](const gs::graph::Edges& e, const gs::Tensor& attention) {
      GraphEdges r;
      r.k = static_cast<int>(e.k);
      r.sources.assign(e.index.begin(), e.index.end());
      r.scores = e.score;
      if (e.nodes) r.attention = attention.to_vector();
      return r;
    };
    out.inter = edges(d.inter, d.inter_attention);
    out.intra = edges(d.intra, d.intra_attention);
    out.scales = d.s.to_vector();
    if (d.S.defined()) out.scale_map = d.S.to_vector();
    return out;
  });
}

ExplainImages Trace::explain() const {
  return detail::translate([&] {
    const Impl& t = filled(*impl_);
    const gs::models::ExplainImages e = gs::models::explain_images(t.trace, t.geometry, t.style);
    return ExplainImages{detail::to_image(e.scale), detail::to_image(e.entropy), detail::to_image(e.correspondence)};
  });
}

void Trace::write_explain_dir(const std::string& dir, const std::string& legend_font) const {
  detail::translate([&] {
    const Impl& t = filled(*impl_);
    std::optional<gs::eval::Font> font;
    if (!legend_font.empty()) font.emplace(legend_font);
    gs::models::write_explain_dir(dir, gs::models::explain_images(t.trace, t.geometry, t.style), font ? &*font : nullptr);
  });
}

}  // namespace graphstyle
