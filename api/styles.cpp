// Model::stylize_styles: blended styles, or a style per region of the content (models/style_set.h).

#include <algorithm>
#include <cmath>
#include <string>

#include "api/convert.h"
#include "api/model_impl.h"
#include "autograd/variable.h"
#include "models/style_set.h"

namespace graphstyle {

namespace {

// The StyleSet's weights and labels as the graph stage takes them: weights per region, and the
// region of each relu4_1 pixel (the label at the pixel's centre in the content image).
gs::models::StyleSetInput style_set_input(const StyleSet& set, int width, int height) {
  const size_t S = set.styles.size();
  gs::models::StyleSetInput in;
  for (const StyleFeatures& s : set.styles) in.fs.push_back(s.impl().features);
  if (set.labels.empty()) {
    if (set.weights.size() != S)
      throw OptionError("weights", "weights has " + std::to_string(set.weights.size()) + " values for " +
                                       std::to_string(S) + " styles (one per style)");
    double sum = 0;
    for (float w : set.weights) {
      if (!(w >= 0.f && std::isfinite(w)))
        throw OptionError("weights", "weights: " + std::to_string(w) + " is not a number >= 0");
      sum += w;
    }
    if (!(sum > 0)) throw OptionError("weights", "weights are all 0 (at least one style needs a weight > 0)");
    in.regions = {set.weights};
    return in;
  }
  if (!set.weights.empty()) throw OptionError("weights", "weights and labels cannot be used together");
  if (set.labels.size() != static_cast<size_t>(width) * height)
    throw OptionError("labels", "labels has " + std::to_string(set.labels.size()) + " entries for a " +
                                    std::to_string(width) + "x" + std::to_string(height) +
                                    " content image (one per pixel)");
  for (int l : set.labels)
    if (l < -1 || l >= static_cast<int>(S))
      throw OptionError("labels", "labels: " + std::to_string(l) + " is not a style index (0.." + std::to_string(S - 1) +
                                      ") or -1 (keep the content)");
  for (size_t r = 0; r <= S; ++r) {  // region r < S: style r alone; region S: no style
    std::vector<float> w(S, 0.f);
    if (r < S) w[r] = 1.f;
    in.regions.push_back(w);
  }
  const int gh = (height + 7) / 8, gw = (width + 7) / 8;
  in.pixel_region.resize(static_cast<size_t>(gh) * gw);
  for (int y = 0; y < gh; ++y)
    for (int x = 0; x < gw; ++x) {
      const int l = set.labels[static_cast<size_t>(std::min(8 * y + 4, height - 1)) * width + std::min(8 * x + 4, width - 1)];
      in.pixel_region[static_cast<size_t>(y) * gw + x] = l < 0 ? static_cast<int32_t>(S) : l;
    }
  return in;
}

}  // namespace

Image Model::stylize_styles(Context& context, const Image& content, const StyleSet& set, const StylizeOptions& o) const {
  return detail::translate([&] {
    const gs::Tensor c = detail::to_tensor(content, "content");
    if (set.styles.empty()) throw OptionError("styles", "styles is empty (at least one StyleFeatures)");
    for (const StyleFeatures& s : set.styles) {
      detail::check_style(s, impl_, "styles");
      detail::check_all(*impl_, o, content.width, content.height, s.width(), s.height());
    }
    const gs::models::StyleSetInput in = style_set_input(set, content.width, content.height);
    const detail::ThreadsForCall threads(o.threads);
    Context::Impl& ctx = detail::prepare(context, impl_, o);
    gs::ag::NoGradGuard no_grad;
    gs::models::GraphOptions g = detail::graph_options(o);
    if (o.method == Method::adain) g.mix = 0.f;
    detail::CallProfile call(o.profile);
    detail::report(o, "encode content", 0.15);
    gs::Tensor fc = (*ctx.encoder)(c);
    call.tick("encode content");
    detail::report(o, "graph", 0.5);
    const gs::Tensor t = gs::models::style_set_stage(impl_->stylizer.params(), impl_->stylizer.config(), fc, in, g,
                                                     o.method == Method::gnn);
    call.tick("graph");
    fc = gs::Tensor();
    detail::report(o, "decode", 0.65);
    Image out = detail::to_image(gs::models::crop_to((*ctx.decoder)(t), content.height, content.width));
    call.tick("decode");
    detail::report(o, "done", 1.0);
    return out;
  });
}

}  // namespace graphstyle
