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
