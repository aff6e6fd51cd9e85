// graphstyle::Model and Context: loading, options, and stylizing through the library's inference nets.
#include <cmath>
#include <mutex>
#include <string>
#include <tuple>

#include "api/convert.h"
#include "api/model_impl.h"
#include "autograd/variable.h"
#include "data/hdf5_file.h"
#include "data/model_file.h"
#include "models/graph_stage.h"
#include "nn/onednn_conv.h"
#include "nn/statistics.h"

namespace graphstyle {

namespace {

// HDF5 may be built without its thread-safety switch: one load at a time.
std::mutex g_hdf5_mutex;

void check_threads(const StylizeOptions& o) {
  if (o.threads < 0) throw OptionError("threads", "threads " + std::to_string(o.threads) + " must be >= 0 (0 = the default)");
}

void check_fields(const StylizeOptions& o) {
  if (!(o.alpha >= 0.f && o.alpha <= 1.f))
    throw OptionError("alpha", "alpha " + std::to_string(o.alpha) + " must be in [0, 1]");
  if (!(o.mix >= 0.f && o.mix <= 1.f)) throw OptionError("mix", "mix " + std::to_string(o.mix) + " must be in [0, 1]");
  if (o.method == Method::adain) return;
  if (o.patch < 1 || o.patch % 2 == 0) throw OptionError("patch", "patch " + std::to_string(o.patch) + " must be odd");
  if (o.k < 1) throw OptionError("k", "k " + std::to_string(o.k) + " must be >= 1");
  if (o.kc < 0) throw OptionError("kc", "kc " + std::to_string(o.kc) + " must be >= 0");
  if (!(o.stroke > 0.f && std::isfinite(o.stroke)))
    throw OptionError("stroke", "stroke " + std::to_string(o.stroke) + " must be > 0");
}


// relu4_1 of an image: [1,C,ceil(H/8),ceil(W/8)] (ceil-mode pools).
gs::Shape feature_shape(const Model::Impl& m, int width, int height) {
  return {1, m.stylizer.config().channels(), (height + 7) / 8, (width + 7) / 8};
}

}  // namespace

namespace detail {
void check_all(const Model::Impl& m, const StylizeOptions& o, int cw, int ch, int sw, int sh) {
  check_threads(o);
  check_fields(o);
  if (o.method == Method::gnn) {
    const gs::models::GraphOptions g = detail::graph_options(o);
    gs::models::check_graph_options(g, feature_shape(m, cw, ch), feature_shape(m, sw, sh));
    gs::models::check_aggregator(m.stylizer.params(), m.stylizer.config().channels(), g.aggregator, m.source);
  }
}
}  // namespace detail

namespace detail {
gs::models::GraphOptions graph_options(const StylizeOptions& o) {
  gs::models::GraphOptions g;
  g.p = o.patch;
  g.k = o.k;
  g.kc = o.kc;
  g.stroke = o.stroke;
  g.deformable = o.deformable;
  g.aggregator = static_cast<gs::graph::Aggregator>(o.aggregator);
  g.metric = o.metric == Metric::ncc ? gs::graph::Metric::ncc : gs::graph::Metric::euclidean;
  g.knn = o.knn == Knn::exact ? gs::graph::KnnSearch::exact : gs::graph::KnnSearch::approximate;
  g.alpha = o.alpha;
  g.mix = o.mix;
  return g;
}
}  // namespace detail

// The public enum and the graph layer's list the aggregators in the same order.
static_assert(static_cast<int>(Aggregator::gat) == static_cast<int>(gs::graph::Aggregator::gat) &&
              static_cast<int>(Aggregator::mean) == static_cast<int>(gs::graph::Aggregator::mean) &&
              static_cast<int>(Aggregator::gin) == static_cast<int>(gs::graph::Aggregator::gin) &&
              static_cast<int>(Aggregator::edgeconv) == static_cast<int>(gs::graph::Aggregator::edgeconv) &&
              static_cast<int>(Aggregator::sage) == static_cast<int>(gs::graph::Aggregator::sage));

Context::Context() : impl_(std::make_unique<Impl>()) {}
Context::~Context() = default;
Context::Context(Context&&) noexcept = default;
Context& Context::operator=(Context&&) noexcept = default;
Context::Impl& Context::impl() { return *impl_; }

Model::Model(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
const Model::Impl& Model::impl() const { return *impl_; }

Model Model::load(const std::string& path) {
  return detail::translate([&] {
    std::lock_guard<std::mutex> lock(g_hdf5_mutex);
    gs::data::ModelFile f = gs::data::load_model_file(path);
    return Model(std::make_shared<const Impl>(Impl{gs::models::Stylizer(f.config, f.params), f.recommended, path}));
  });
}

Model Model::load_from_memory(const void* data, size_t size) {
  return detail::translate([&] {
    if (!data && size) throw OptionError("data", "data is null but size is " + std::to_string(size));
    std::lock_guard<std::mutex> lock(g_hdf5_mutex);
    const gs::data::H5File file = gs::data::H5File::open_memory(data, size, "model in memory");
    gs::data::ModelFile f = gs::data::read_model(file);
    return Model(std::make_shared<const Impl>(Impl{gs::models::Stylizer(f.config, f.params), f.recommended}));
  });
}

ModelInfo Model::info() const {
  const gs::models::ModelConfig& c = impl_->stylizer.config();
  const gs::data::RecommendedSettings& r = impl_->recommended;
  ModelInfo info{c.patch, static_cast<int>(c.channels()), gs::models::to_string(c.encoder),
                 gs::models::to_string(c.upsample), {}};
  for (auto [field, set] : {std::pair{"alpha", r.alpha.has_value()}, std::pair{"k", r.k.has_value()},
                            std::pair{"kc", r.kc.has_value()}, std::pair{"stroke", r.stroke.has_value()},
                            std::pair{"mix", r.mix.has_value()}})
    if (set) info.recommended.push_back(field);
  return info;
}

StylizeOptions Model::default_options() const {
  StylizeOptions o;
  o.patch = impl_->stylizer.config().patch;
  const gs::data::RecommendedSettings& r = impl_->recommended;
  if (r.alpha) o.alpha = static_cast<float>(*r.alpha);
  if (r.k) o.k = static_cast<int>(*r.k);
  if (r.kc) o.kc = static_cast<int>(*r.kc);
  if (r.stroke) o.stroke = static_cast<float>(*r.stroke);
  if (r.mix) o.mix = static_cast<float>(*r.mix);
  switch (impl_->stylizer.config().family) {  // a model trained with an aggregator family uses it
    case gs::models::InterFamily::gin: o.aggregator = Aggregator::gin; break;
    case gs::models::InterFamily::edgeconv: o.aggregator = Aggregator::edgeconv; break;
    case gs::models::InterFamily::sage: o.aggregator = Aggregator::sage; break;
    default: break;
  }
  return o;
}

void Model::check(const StylizeOptions& options, int cw, int ch, int sw, int sh) const {
  detail::translate([&] {
    for (auto [name, w, h] : {std::tuple{"content", cw, ch}, std::tuple{"style", sw, sh}})
      if (w < 1 || h < 1)
        throw OptionError(name, std::string(name) + " image is empty (" + std::to_string(w) + "x" + std::to_string(h) + ")");
    detail::check_all(*impl_, options, cw, ch, sw, sh);
  });
}

Precision effective_precision(Precision requested) {
  return requested == Precision::bf16 && !gs::nn::bf16_supported() ? Precision::fp32 : requested;
}

std::string precision_note(Precision requested) {
  if (effective_precision(requested) == requested) return "";
  return "precision bf16: this CPU has no native bf16 (AVX512-BF16 or AMX), so the convolutions run in fp32";
}

namespace detail {
Context::Impl& prepare(Context& context, const std::shared_ptr<const Model::Impl>& model, const StylizeOptions& o) {
  const gs::models::Stylizer& m = model->stylizer;
  Context::Impl& ctx = context.impl();
  if (ctx.model.lock() != model || !ctx.encoder || ctx.precision != o.precision) {  // first use, or another model
    ctx.encoder.reset();
    ctx.decoder.reset();
    // The weights are converted (bf16) and laid out here, once per model and precision.
    const auto precision = o.precision == Precision::bf16 ? gs::models::Precision::bf16 : gs::models::Precision::fp32;
    ctx.encoder = std::make_unique<gs::models::EncoderInference>(m.params(), m.config(), precision);
    ctx.decoder = std::make_unique<gs::models::DecoderInference>(m.params(), m.config(), precision);
    ctx.model = model;
    ctx.precision = o.precision;
  }
  ctx.encoder->set_trim_heap(o.trim_heap);
  ctx.decoder->set_trim_heap(o.trim_heap);
  return ctx;
}

void check_style(const StyleFeatures& style, const std::shared_ptr<const Model::Impl>& model, const char* field) {
  if (style.empty()) throw OptionError(field, std::string(field) + ": style features are empty: make them with encode_style");
  if (style.impl().model.lock() != model)
    throw OptionError(field, std::string(field) + ": style features were encoded by another model");
}
}  // namespace detail

namespace {
using detail::check_all;
using detail::prepare;

// content: [1,3,H,W]; fs the style's features (encoded from s, [1,3,Hs,Ws]) -> the stylized image.
// `call` times the stages when the options ask for a profile.
Image run(const std::shared_ptr<const Model::Impl>& impl, Context::Impl& ctx, const gs::Tensor& c, int cw, int ch,
          const gs::Tensor& s, gs::ag::Variable fs, const StylizeOptions& o, Trace* trace, detail::CallProfile& call) {
  const gs::models::Stylizer& m = impl->stylizer;
  Trace::Impl* tr = trace ? &trace->impl() : nullptr;
  if (tr) *tr = Trace::Impl{};
  gs::ag::NoGradGuard no_grad;
  gs::Tensor t;
  detail::report(o, "encode content", 0.15);
  {  // the features go before the decoder takes its buffers
    const gs::ag::Variable fc((*ctx.encoder)(c));
    call.tick("encode content");
    detail::report(o, "graph", 0.5);
    if (o.method == Method::adain) {
      t = gs::nn::adain_mix(fc, fs, o.alpha).value();
      call.tick("adain");
    } else {
      const gs::models::GraphOptions g = detail::graph_options(o);
      gs::models::PhaseHook phase;  // the graph stage's parts, as the bench's phase table names them
      if (call.on()) phase = [&call](const char* part) { call.tick(part); };
      t = gs::models::graph_stage(m.params(), m.config(), fc, fs, g, tr ? &tr->trace : nullptr, nullptr, nullptr, phase)
              .value();
      if (tr) {
        tr->filled = true;
        tr->options = g;
        tr->style = s.select(0, 0);
        tr->geometry.p = g.p;
        tr->geometry.content_h = ch;
        tr->geometry.content_w = cw;
        tr->geometry.fc_h = fc.size(2);
        tr->geometry.fc_w = fc.size(3);
        tr->geometry.fs_h = fs.size(2);
        tr->geometry.fs_w = fs.size(3);
      }
    }
    fs = gs::ag::Variable();  // the image path's only reference: freed before the decoder runs
  }
  detail::report(o, "decode", 0.65);
  Image out = detail::to_image(gs::models::crop_to((*ctx.decoder)(t), ch, cw));
  call.tick("decode");
  detail::report(o, "done", 1.0);
  return out;
}
}  // namespace

Image Model::stylize(Context& context, const Image& content, const Image& style, const StylizeOptions& o,
                     Trace* trace) const {
  return detail::translate([&] {
    const gs::Tensor c = detail::to_tensor(content, "content"), s = detail::to_tensor(style, "style");
    check_all(*impl_, o, content.width, content.height, style.width, style.height);
    const detail::ThreadsForCall threads(o.threads);
    Context::Impl& ctx = prepare(context, impl_, o);
    gs::ag::NoGradGuard no_grad;
    detail::CallProfile call(o.profile);
    detail::report(o, "encode style", 0.0);
    gs::ag::Variable fs((*ctx.encoder)(s));
    call.tick("encode style");
    return run(impl_, ctx, c, content.width, content.height, s, std::move(fs), o, trace, call);
  });
}

StyleFeatures Model::encode_style(Context& context, const Image& style, const StylizeOptions& o) const {
  return detail::translate([&] {
    const gs::Tensor s = detail::to_tensor(style, "style");
    check_threads(o);
    const detail::ThreadsForCall threads(o.threads);
    Context::Impl& ctx = prepare(context, impl_, o);
    gs::ag::NoGradGuard no_grad;
    detail::CallProfile call(o.profile);
    gs::Tensor features = (*ctx.encoder)(s);
    call.tick("encode style");
    return StyleFeatures(std::make_shared<const StyleFeatures::Impl>(StyleFeatures::Impl{impl_, s, std::move(features)}));
  });
}

Image Model::stylize(Context& context, const Image& content, const StyleFeatures& style, const StylizeOptions& o,
                     Trace* trace) const {
  return detail::translate([&] {
    if (style.empty()) throw OptionError("style", "style features are empty: make them with encode_style");
    const StyleFeatures::Impl& sf = style.impl();
    if (sf.model.lock() != impl_) throw OptionError("style", "style features were encoded by another model");
    const gs::Tensor c = detail::to_tensor(content, "content");
    check_all(*impl_, o, content.width, content.height, style.width(), style.height());
    const detail::ThreadsForCall threads(o.threads);
    Context::Impl& ctx = prepare(context, impl_, o);
    detail::CallProfile call(o.profile);
    return run(impl_, ctx, c, content.width, content.height, sf.image, gs::ag::Variable(sf.features), o, trace, call);
  });
}

StyleFeatures::StyleFeatures() = default;
StyleFeatures::StyleFeatures(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
bool StyleFeatures::empty() const { return !impl_; }
int StyleFeatures::width() const { return impl_ ? static_cast<int>(impl_->image.size(3)) : 0; }
int StyleFeatures::height() const { return impl_ ? static_cast<int>(impl_->image.size(2)) : 0; }
size_t StyleFeatures::bytes() const {
  return impl_ ? static_cast<size_t>(impl_->image.numel() + impl_->features.numel()) * sizeof(float) : 0;
}
const StyleFeatures::Impl& StyleFeatures::impl() const { return *impl_; }

ImageRGB8 Model::stylize(Context& context, const ImageRGB8& content, const ImageRGB8& style,
                         const StylizeOptions& options, Trace* trace) const {
  return to_rgb8(stylize(context, to_float(content), to_float(style), options, trace));
}

Image Model::stylize(const Image& content, const Image& style, const StylizeOptions& options) const {
  Context context;
  return stylize(context, content, style, options);
}

}  // namespace graphstyle
