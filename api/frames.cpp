// Model::stylize_frame: video frames whose style edges lean towards the previous frame's
// (graph/sticky_edges.h) and whose outputs lean towards the previous output along the content's
// motion (video/temporal_blend.h).

#include <optional>
#include <string>

#include "api/convert.h"
#include "api/model_impl.h"
#include "autograd/variable.h"
#include "graph/edge_list.h"
#include "graph/sticky_edges.h"
#include "models/graph_stage.h"
#include "video/temporal_blend.h"

namespace graphstyle {

struct FrameSequence::Impl {
  float stickiness = FrameSequence::default_stickiness, smoothing = FrameSequence::default_smoothing;
  std::optional<gs::graph::Edges> previous;
  const void* style = nullptr;  // the StyleFeatures the edges point into
  Image previous_frame, previous_output;  // kept only when smoothing
  double changed = 1.0, smoothed = 0.0;
};

FrameSequence::FrameSequence(float stickiness, float smoothing) : impl_(std::make_unique<Impl>()) {
  if (!(stickiness >= 0.f && stickiness <= 2.f))
    throw OptionError("stickiness", "stickiness " + std::to_string(stickiness) + " must be in [0, 2] (an NCC bonus)");
  if (!(smoothing >= 0.f && smoothing < 1.f))
    throw OptionError("smoothing", "smoothing " + std::to_string(smoothing) +
                                       " must be in [0, 1) (the weight of the previous output)");
  impl_->stickiness = stickiness;
  impl_->smoothing = smoothing;
}
FrameSequence::~FrameSequence() = default;
FrameSequence::FrameSequence(FrameSequence&&) noexcept = default;
FrameSequence& FrameSequence::operator=(FrameSequence&&) noexcept = default;
FrameSequence::Impl& FrameSequence::impl() { return *impl_; }
double FrameSequence::changed_edges() const { return impl_->changed; }
double FrameSequence::smoothed_share() const { return impl_->smoothed; }

Image Model::stylize_frame(Context& context, const Image& frame, const StyleFeatures& style, const StylizeOptions& o,
                           FrameSequence& sequence) const {
  return detail::translate([&] {
    const gs::Tensor c = detail::to_tensor(frame, "frame");
    detail::check_style(style, impl_, "style");
    if (o.method != Method::gnn) throw OptionError("method", "method: frame sequences need the GNN (method gnn)");
    if (o.metric != Metric::ncc) throw OptionError("metric", "metric: frame sequences use NCC edges (metric ncc)");
    detail::check_all(*impl_, o, frame.width, frame.height, style.width(), style.height());
    const detail::ThreadsForCall threads(o.threads);
    Context::Impl& ctx = detail::prepare(context, impl_, o);
    FrameSequence::Impl& seq = sequence.impl();
    gs::ag::NoGradGuard no_grad;
    const gs::models::GraphOptions g = detail::graph_options(o);
    detail::CallProfile call(o.profile);
    detail::report(o, "encode content", 0.15);
    gs::Tensor t;
    bool follow = false;  // this frame continues the sequence (same style, same size)
    {
      const gs::Tensor fc = (*ctx.encoder)(c), &fs = style.impl().features;
      call.tick("encode content");
      detail::report(o, "graph", 0.5);
      const int64_t nodes = (fc.size(2) - g.p + 1) * (fc.size(3) - g.p + 1);
      follow = seq.previous && seq.style == &style.impl() && seq.previous->nodes == nodes && seq.previous->k == g.k;
      gs::graph::Edges edges = gs::graph::sticky_inter_edges(fc.select(0, 0), fs.select(0, 0), g.p, g.k,
                                                             follow ? &*seq.previous : nullptr, seq.stickiness);
      seq.changed = follow ? gs::graph::changed_share(edges, *seq.previous) : 1.0;
      const gs::graph::EdgeList list = gs::graph::stack_edges(std::vector<gs::graph::Edges>{edges});
      seq.previous = std::move(edges);
      seq.style = &style.impl();
      t = gs::models::graph_stage(impl_->stylizer.params(), impl_->stylizer.config(), gs::ag::Variable(fc),
                                  gs::ag::Variable(fs), g, nullptr, &list)
              .value();
      call.tick("graph");
    }
    detail::report(o, "decode", 0.65);
    Image out = detail::to_image(gs::models::crop_to((*ctx.decoder)(t), frame.height, frame.width));
    call.tick("decode");
    seq.smoothed = 0.0;
    if (seq.smoothing > 0.f) {
      if (follow && seq.previous_frame.width == frame.width && seq.previous_frame.height == frame.height) {
        detail::report(o, "smooth", 0.9);
        seq.smoothed = gs::video::blend_with_previous(seq.previous_frame.pixels.data(), frame.pixels.data(),
                                                      seq.previous_output.pixels.data(), out.pixels.data(), frame.width,
                                                      frame.height, seq.smoothing);
      }
      seq.previous_frame = frame;
      seq.previous_output = out;
      call.tick("smooth");
    }
    detail::report(o, "done", 1.0);
    return out;
  });
}

}  // namespace graphstyle
