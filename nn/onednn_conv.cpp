#include "nn/onednn_conv.h"

#include <algorithm>
#include <array>
#include <compare>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "autograd/profiler.h"
#include "nn/nhwc_layers.h"

namespace gs::nn {

namespace {

using dnnl::memory;
using tag = memory::format_tag;

dnnl::engine& cpu_engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& cpu_stream() {
  static dnnl::stream stream(cpu_engine());
  return stream;
}

// Everything that decides which primitive runs.
// forward_nhwc: inference on channels-last activations, with weights laid out by the caller once
// (InferenceConv2d); the other kinds take NCHW activations and OIHW weights.
enum class Kind { forward_inference, forward_training, backward_data, backward_weights, forward_nhwc };
struct Key {
  Kind kind;
  std::array<int64_t, 4> x, w;
  int stride, pad;
  bool bias, relu;
  bool src_bf16 = false, dst_bf16 = false;  // forward_nhwc only: bf16 activations (then bf16 weights)
  bool mixed = false;  // the other kinds under a Bf16ConvScope: bf16 products of our fp32 tensors
  auto operator<=>(const Key&) const = default;
};

// One argument of a primitive: our plain layout, the primitive's, and the reorder between them.
struct Arg {
  int id;  // DNNL_ARG_*
  bool output;
  memory::desc user, inner;
  dnnl::reorder reorder;  // user -> inner for inputs, inner -> user for outputs; only if they differ
  bool needs_reorder() const { return user != inner; }
};

struct Plan {
  dnnl::primitive primitive;
  std::vector<Arg> args;
  std::string impl;  // the kind and oneDNN's implementation name (as ONEDNN_VERBOSE prints it), for profiles
};

using dt = memory::data_type;
memory::desc plain_md(const memory::dims& dims, bool channels_last = false, dt type = dt::f32) {
  tag t = dims.size() == 4 ? (channels_last ? tag::nhwc : tag::nchw) : tag::x;  // OIHW has NCHW's strides
  return memory::desc(dims, type, t);
}
memory::desc any_md(const memory::dims& dims, dt type = dt::f32) { return memory::desc(dims, type, tag::any); }

memory::dims y_dims(const Key& k) {
  return {k.x[0], k.w[0], conv2d_out_size(k.x[2], k.w[2], {k.stride, k.pad}),
          conv2d_out_size(k.x[3], k.w[3], {k.stride, k.pad})};
}
memory::dims x_dims(const Key& k) { return {k.x.begin(), k.x.end()}; }
memory::dims w_dims(const Key& k) { return {k.w.begin(), k.w.end()}; }
memory::dims b_dims(const Key& k) { return {k.w[0]}; }

// Reads each argument's layout from the descriptor and prepares the reorders it needs.
// With channels_last, the activations (src, dst) are NHWC on our side.
// With src_bf16 / dst_bf16 (channels_last only), that activation is bf16 on our side too.
Plan make_plan(const dnnl::primitive_desc_base& pd, dnnl::primitive primitive,
               const std::vector<std::pair<int, memory::dims>>& inputs,
               const std::vector<std::pair<int, memory::dims>>& outputs, bool channels_last = false,
               bool src_bf16 = false, bool dst_bf16 = false) {
  Plan plan{std::move(primitive), {}, pd.impl_info_str()};
  auto add = [&](int id, const memory::dims& dims, bool output) {
    const bool activation = id == DNNL_ARG_SRC || id == DNNL_ARG_DST;
    const bool bf16 = (id == DNNL_ARG_SRC && src_bf16) || (id == DNNL_ARG_DST && dst_bf16);
    Arg a{id, output, plain_md(dims, channels_last && activation, bf16 ? dt::bf16 : dt::f32),
          pd.query_md(dnnl::query::exec_arg_md, id), {}};
    if (a.needs_reorder()) {
      auto& e = cpu_engine();
      a.reorder = output ? dnnl::reorder(dnnl::reorder::primitive_desc(e, a.inner, e, a.user))
                         : dnnl::reorder(dnnl::reorder::primitive_desc(e, a.user, e, a.inner));
    }
    plan.args.push_back(std::move(a));
  };
  for (const auto& [id, dims] : inputs) add(id, dims, false);
  for (const auto& [id, dims] : outputs) add(id, dims, true);
  return plan;
}

dnnl::convolution_forward::primitive_desc make_forward_pd(const Key& k, dnnl::prop_kind prop) {
  memory::dims strides{k.stride, k.stride}, padding{k.pad, k.pad};
  auto algo = dnnl::algorithm::convolution_direct;
  // bf16 activations: bf16 weights (fp32 accumulation and bias inside the kernel), and the
  // activations pinned to channels-last, which the bf16 kernels read and write directly, so the
  // maps pass from one conv to the next (through pad / pool / upsample) without any reorder.
  memory::desc x_md = any_md(x_dims(k)), w_md = any_md(w_dims(k)), y_md = any_md(y_dims(k));
  if (k.src_bf16) {
    x_md = plain_md(x_dims(k), true, dt::bf16);
    w_md = any_md(w_dims(k), dt::bf16);
    y_md = plain_md(y_dims(k), true, k.dst_bf16 ? dt::bf16 : dt::f32);
  } else if (k.mixed) {  // the reorders into the kernel's layouts convert x and w; y comes back in fp32
    x_md = any_md(x_dims(k), dt::bf16);
    w_md = any_md(w_dims(k), dt::bf16);
  }
  auto desc = k.bias ? dnnl::convolution_forward::desc(prop, algo, x_md, w_md, any_md(b_dims(k)), y_md, strides,
                                                       padding, padding)
                     : dnnl::convolution_forward::desc(prop, algo, x_md, w_md, y_md, strides, padding, padding);
  dnnl::primitive_attr attr;
  if (k.relu) {
    dnnl::post_ops ops;
    ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
    attr.set_post_ops(ops);
  }
  return dnnl::convolution_forward::primitive_desc(desc, attr, cpu_engine());
}

// Every image size brings new shapes (and strips of large images a few more), so the caches are
// bounded: past kMaxPlans the least recently used plan is dropped (a plan in use stays alive
// through its shared_ptr), and the training descriptors, only hints, are dropped all at once.
constexpr size_t kMaxPlans = 512;
struct CachedPlan {
  std::shared_ptr<const Plan> plan;
  uint64_t last_use;
};
std::mutex g_mutex;
std::map<Key, CachedPlan> g_plans;
uint64_t g_clock = 0;
// forward_training descriptors, also used as hints by the backward kinds (no primitive needed).
std::map<Key, dnnl::convolution_forward::primitive_desc> g_training_pds;

dnnl::convolution_forward::primitive_desc training_pd(Key k) {
  k.kind = Kind::forward_training;
  auto it = g_training_pds.find(k);
  if (it == g_training_pds.end()) {
    if (g_training_pds.size() >= kMaxPlans) g_training_pds.clear();
    it = g_training_pds.emplace(k, make_forward_pd(k, dnnl::prop_kind::forward_training)).first;
  }
  return it->second;
}

Plan build_plan_of_kind(const Key& k) {
  memory::dims strides{k.stride, k.stride}, padding{k.pad, k.pad};
  auto algo = dnnl::algorithm::convolution_direct;
  switch (k.kind) {
    case Kind::forward_inference:
    case Kind::forward_training:
    case Kind::forward_nhwc: {
      auto pd =
          k.kind == Kind::forward_training ? training_pd(k) : make_forward_pd(k, dnnl::prop_kind::forward_inference);
      std::vector<std::pair<int, memory::dims>> in{{DNNL_ARG_SRC, x_dims(k)}, {DNNL_ARG_WEIGHTS, w_dims(k)}};
      if (k.bias) in.push_back({DNNL_ARG_BIAS, b_dims(k)});
      return make_plan(pd, dnnl::convolution_forward(pd), in, {{DNNL_ARG_DST, y_dims(k)}},
                       k.kind == Kind::forward_nhwc, k.src_bf16, k.dst_bf16);
    }
    case Kind::backward_data: {  // keyed without bias: the hint is the plain forward of these shapes
      const dt in = k.mixed ? dt::bf16 : dt::f32;  // mixed: bf16 products, the gradient in fp32
      dnnl::convolution_backward_data::desc desc(algo, any_md(x_dims(k)), any_md(w_dims(k), in), any_md(y_dims(k), in),
                                                 strides, padding, padding);
      dnnl::convolution_backward_data::primitive_desc pd(desc, cpu_engine(), training_pd(k));
      return make_plan(pd, dnnl::convolution_backward_data(pd),
                       {{DNNL_ARG_DIFF_DST, y_dims(k)}, {DNNL_ARG_WEIGHTS, w_dims(k)}},
                       {{DNNL_ARG_DIFF_SRC, x_dims(k)}});
    }
    case Kind::backward_weights: {
      const dt in = k.mixed ? dt::bf16 : dt::f32;  // mixed: bf16 products, the weight gradients in fp32
      auto desc = k.bias ? dnnl::convolution_backward_weights::desc(algo, any_md(x_dims(k), in), any_md(w_dims(k)),
                                                                    any_md(b_dims(k)), any_md(y_dims(k), in), strides,
                                                                    padding, padding)
                         : dnnl::convolution_backward_weights::desc(algo, any_md(x_dims(k), in), any_md(w_dims(k)),
                                                                    any_md(y_dims(k), in), strides, padding, padding);
      dnnl::convolution_backward_weights::primitive_desc pd(desc, cpu_engine(), training_pd(k));
      std::vector<std::pair<int, memory::dims>> out{{DNNL_ARG_DIFF_WEIGHTS, w_dims(k)}};
      if (k.bias) out.push_back({DNNL_ARG_DIFF_BIAS, b_dims(k)});
      return make_plan(pd, dnnl::convolution_backward_weights(pd),
                       {{DNNL_ARG_SRC, x_dims(k)}, {DNNL_ARG_DIFF_DST, y_dims(k)}}, out);
    }
  }
  throw std::logic_error("conv2d: unknown primitive kind");
}

Plan build_plan(const Key& k) {
  static const char* const kKindNames[] = {"forward_inference", "forward_training", "backward_data",
                                           "backward_weights", "forward_nhwc"};
  Plan plan = build_plan_of_kind(k);
  plan.impl = std::string(kKindNames[static_cast<int>(k.kind)]) + " " + plan.impl;
  return plan;
}

std::shared_ptr<const Plan> plan_for(const Key& k) {
  std::lock_guard<std::mutex> lock(g_mutex);
  auto it = g_plans.find(k);
  if (it == g_plans.end()) {
    if (g_plans.size() >= kMaxPlans)
      g_plans.erase(std::min_element(g_plans.begin(), g_plans.end(), [](const auto& a, const auto& b) {
        return a.second.last_use < b.second.last_use;
      }));
    it = g_plans.emplace(k, CachedPlan{std::make_shared<const Plan>(build_plan(k)), 0}).first;
  }
  it->second.last_use = ++g_clock;
  return it->second.plan;
}

// Arguments whose layout differs from ours get a buffer in oneDNN's layout for the call. It is not
// kept: freed, it goes back to the heap, where the next call's buffer of that size finds it without
// page faults (tensor/allocator.h), and nothing stays pinned after a large image. Calls are
// serialised by g_run_mutex (one stream; each call already uses every core).
std::mutex g_run_mutex;

std::unique_ptr<Storage> storage_for(size_t bytes) {
  return std::make_unique<Storage>(static_cast<int64_t>((bytes + sizeof(float) - 1) / sizeof(float)));
}

// Runs the plan on dense float buffers given in the order of plan.args, each in our layout
// (arg.user) or, where laid_out[i] is set, already in the primitive's (arg.inner). Needs g_run_mutex.
void run_locked(const Plan& plan, const std::vector<float*>& buffers, const std::vector<bool>& laid_out = {}) {
  auto& engine = cpu_engine();
  auto& stream = cpu_stream();
  std::unordered_map<int, memory> args;
  std::vector<std::pair<const Arg*, memory>> pending_outputs;  // (arg, user memory) to reorder into
  std::vector<std::unique_ptr<Storage>> temporaries;
  for (size_t i = 0; i < plan.args.size(); ++i) {
    const Arg& a = plan.args[i];
    const bool inner_given = i < laid_out.size() && laid_out[i];
    memory user(inner_given ? a.inner : a.user, engine, buffers[i]);
    if (!a.needs_reorder() || inner_given) {
      args.emplace(a.id, user);
      continue;
    }
    memory inner(a.inner, engine, temporaries.emplace_back(storage_for(a.inner.get_size()))->data());
    if (a.output) {
      pending_outputs.push_back({&a, user});
    } else {
      a.reorder.execute(stream, {{DNNL_ARG_FROM, user}, {DNNL_ARG_TO, inner}});
    }
    args.emplace(a.id, inner);
  }
  if (ag::Profile* profile = ag::active_profile()) profile->kernels[plan.impl] += 1;
  plan.primitive.execute(stream, args);
  for (auto& [a, user] : pending_outputs)
    a->reorder.execute(stream, {{DNNL_ARG_FROM, args.at(a->id)}, {DNNL_ARG_TO, user}});
  stream.wait();
}

void run(const Plan& plan, const std::vector<float*>& buffers) {
  std::lock_guard<std::mutex> lock(g_run_mutex);
  run_locked(plan, buffers);
}

thread_local bool t_bf16_scope = false;  // Bf16ConvScope on this thread

Key make_key(Kind kind, const Shape& x, const Shape& w, Conv2dParams p, bool bias, bool relu) {
  Key k{kind, {x[0], x[1], x[2], x[3]}, {w[0], w[1], w[2], w[3]}, p.stride, p.pad, bias, relu};
  k.mixed = kind != Kind::forward_nhwc && t_bf16_scope && bf16_supported();
  return k;
}

// oneDNN wants at least one element everywhere; an empty batch has an all-zero answer.
bool is_empty(const Shape& x, const Shape& y) { return shape_numel(x) == 0 || shape_numel(y) == 0; }

}  // namespace

int64_t conv2d_out_size(int64_t in, int64_t kernel, Conv2dParams p) { return (in + 2 * p.pad - kernel) / p.stride + 1; }

Shape conv2d_out_shape(const Shape& x, const Shape& w, const Shape& bias, Conv2dParams p, const char* what) {
  auto fail = [&](const std::string& why) {
    std::string msg = std::string(what) + ": " + why + " (x " + shape_str(x) + ", w " + shape_str(w);
    if (!bias.empty()) msg += ", bias " + shape_str(bias);
    throw std::invalid_argument(msg + ", stride " + std::to_string(p.stride) + ", pad " + std::to_string(p.pad) + ")");
  };
  if (x.size() != 4) fail("x must be [N,Ci,H,W]");
  if (w.size() != 4) fail("w must be [Co,Ci,k,k]");
  if (w[1] != x[1]) fail("w has " + std::to_string(w[1]) + " input channels, x has " + std::to_string(x[1]));
  if (w[2] != w[3]) fail("the kernel must be square");
  if (w[0] < 1 || w[2] < 1) fail("empty kernel");
  if (!bias.empty() && (bias.size() != 1 || bias[0] != w[0])) fail("bias must be [Co]");
  if (p.stride < 1 || p.pad < 0) fail("stride must be >= 1 and pad >= 0");
  if (x[2] + 2 * p.pad < w[2] || x[3] + 2 * p.pad < w[3]) fail("the padded input is smaller than the kernel");
  return {x[0], w[0], conv2d_out_size(x[2], w[2], p), conv2d_out_size(x[3], w[3], p)};
}

Tensor conv2d_forward(const Tensor& x, const Tensor& w, const Tensor& bias, Conv2dParams p, ConvPass pass,
                      bool fuse_relu) {
  const bool has_bias = bias.defined();
  Shape y_shape = conv2d_out_shape(x.shape(), w.shape(), has_bias ? bias.shape() : Shape{}, p, "conv2d");
  if (is_empty(x.shape(), y_shape)) return Tensor::zeros(y_shape);
  Kind kind = pass == ConvPass::training ? Kind::forward_training : Kind::forward_inference;
  const auto plan_ptr = plan_for(make_key(kind, x.shape(), w.shape(), p, has_bias, fuse_relu));
  const Plan& plan = *plan_ptr;
  Tensor xc = x.contiguous(), wc = w.contiguous(), bc = has_bias ? bias.contiguous() : Tensor();
  Tensor y = Tensor::empty(y_shape);
  std::vector<float*> buffers{xc.data(), wc.data()};
  if (has_bias) buffers.push_back(bc.data());
  buffers.push_back(y.data());
  run(plan, buffers);
  return y;
}

Tensor conv2d_backward_data(const Tensor& gy, const Tensor& w, const Shape& x_shape, Conv2dParams p) {
  Shape y_shape = conv2d_out_shape(x_shape, w.shape(), {}, p, "conv2d_backward_data");
  if (gy.shape() != y_shape)
    throw std::invalid_argument("conv2d_backward_data: gy " + shape_str(gy.shape()) + " for an output of shape " +
                                shape_str(y_shape) + " (x " + shape_str(x_shape) + ", w " + shape_str(w.shape()) + ")");
  if (is_empty(x_shape, y_shape)) return Tensor::zeros(x_shape);
  const auto plan_ptr = plan_for(make_key(Kind::backward_data, x_shape, w.shape(), p, false, false));
  const Plan& plan = *plan_ptr;
  Tensor gyc = gy.contiguous(), wc = w.contiguous();
  Tensor gx = Tensor::empty(x_shape);
  run(plan, {gyc.data(), wc.data(), gx.data()});
  return gx;
}

Conv2dWeightGrads conv2d_backward_weights(const Tensor& x, const Tensor& gy, const Shape& w_shape, bool with_bias,
                                          Conv2dParams p) {
  Shape y_shape = conv2d_out_shape(x.shape(), w_shape, {}, p, "conv2d_backward_weights");
  if (gy.shape() != y_shape)
    throw std::invalid_argument("conv2d_backward_weights: gy " + shape_str(gy.shape()) + " for an output of shape " +
                                shape_str(y_shape) + " (x " + shape_str(x.shape()) + ", w " + shape_str(w_shape) + ")");
  Conv2dWeightGrads grads;
  if (is_empty(x.shape(), y_shape)) {
    grads.w = Tensor::zeros(w_shape);
    if (with_bias) grads.bias = Tensor::zeros({w_shape[0]});
    return grads;
  }
  const auto plan_ptr = plan_for(make_key(Kind::backward_weights, x.shape(), w_shape, p, with_bias, false));
  const Plan& plan = *plan_ptr;
  Tensor xc = x.contiguous(), gyc = gy.contiguous();
  grads.w = Tensor::empty(w_shape);
  std::vector<float*> buffers{xc.data(), gyc.data(), grads.w.data()};
  if (with_bias) {
    grads.bias = Tensor::empty({w_shape[0]});
    buffers.push_back(grads.bias.data());
  }
  run(plan, buffers);
  return grads;
}

struct InferenceConv2d::Impl {
  Tensor w, bias;  // OIHW, [Co] or undefined
  Conv2dParams p;
  bool relu;
  ActivationTypes types;
  // The weights in each layout a primitive asked for (one, unless shapes pick other kernels).
  std::vector<std::pair<memory::desc, std::unique_ptr<Storage>>> laid_out;

  float* weights_in(const Arg& a) {  // needs g_run_mutex
    for (auto& [md, storage] : laid_out)
      if (md == a.inner) return storage->data();
    auto& stream = cpu_stream();
    std::unique_ptr<Storage> s = storage_for(a.inner.get_size());
    a.reorder.execute(stream, {{DNNL_ARG_FROM, memory(a.user, cpu_engine(), w.data())},
                               {DNNL_ARG_TO, memory(a.inner, cpu_engine(), s->data())}});
    stream.wait();
    return laid_out.emplace_back(a.inner, std::move(s)).second->data();
  }
};

InferenceConv2d::InferenceConv2d(const Tensor& w, const Tensor& bias, Conv2dParams p, bool relu, ActivationTypes types)
    : impl_(std::make_shared<Impl>()) {
  if (types.dst_bf16 && !types.src_bf16)
    throw std::invalid_argument("InferenceConv2d: a bf16 output needs a bf16 input");
  impl_->w = w.contiguous();
  impl_->bias = bias.defined() ? bias.contiguous() : Tensor();
  impl_->p = p;
  impl_->relu = relu;
  impl_->types = types;
  if (w.dim() == 4 && ((types.src_bf16 && w.size(1) % 2) || (types.dst_bf16 && w.size(0) % 2)))
    throw std::invalid_argument("InferenceConv2d: bf16 maps need an even channel count, w " + shape_str(w.shape()));
}

ActivationTypes InferenceConv2d::types() const { return impl_->types; }

namespace {
// A map's channels as stored: bf16 maps hold two per float.
int64_t stored_channels(int64_t c, bool bf16) { return bf16 ? c / 2 : c; }
}  // namespace

Shape InferenceConv2d::out_shape(const Shape& x) const {
  const Impl& m = *impl_;
  if (x.size() != 4) throw std::invalid_argument("InferenceConv2d: x must be [N,H,W,C], got " + shape_str(x));
  const int64_t ci = m.types.src_bf16 ? 2 * x[3] : x[3];
  const Shape y = conv2d_out_shape({x[0], ci, x[1], x[2]}, m.w.shape(), m.bias.defined() ? m.bias.shape() : Shape{},
                                   m.p, "InferenceConv2d");
  return {y[0], y[2], y[3], stored_channels(y[1], m.types.dst_bf16)};
}

Tensor InferenceConv2d::operator()(const Tensor& x, Tensor out_buffer) const {
  Impl& m = *impl_;
  if (x.dim() != 4 || !x.is_contiguous())
    throw std::invalid_argument("InferenceConv2d: x must be a contiguous [N,H,W,C] map, got " + shape_str(x.shape()));
  const Shape x_nchw{x.size(0), m.types.src_bf16 ? 2 * x.size(3) : x.size(3), x.size(1), x.size(2)};
  const bool has_bias = m.bias.defined();
  const Shape y_nhwc = out_shape(x.shape());
  Tensor out = output_or_new(out_buffer, y_nhwc, "InferenceConv2d");
  if (is_empty(x_nchw, {y_nhwc[0], m.w.size(0), y_nhwc[1], y_nhwc[2]})) return out.fill_(0.f);
  Key key = make_key(Kind::forward_nhwc, x_nchw, m.w.shape(), m.p, has_bias, m.relu);
  key.src_bf16 = m.types.src_bf16;
  key.dst_bf16 = m.types.dst_bf16;
  const auto plan_ptr = plan_for(key);
  const Plan& plan = *plan_ptr;
  std::vector<float*> buffers{const_cast<float*>(x.data()), m.w.data()};
  if (has_bias) buffers.push_back(m.bias.data());
  buffers.push_back(out.data());
  std::lock_guard<std::mutex> lock(g_run_mutex);
  std::vector<bool> laid_out(plan.args.size(), false);
  if (plan.args[1].needs_reorder()) {  // args are in input order: src, weights, ...
    buffers[1] = m.weights_in(plan.args[1]);
    laid_out[1] = true;
  }
  run_locked(plan, buffers, laid_out);
  return out;
}

bool bf16_supported() {
  static const bool supported = [] {
    const auto isa = static_cast<unsigned>(dnnl::get_effective_cpu_isa());
    const auto bf16 = static_cast<unsigned>(dnnl::cpu_isa::avx512_core_bf16);  // ISAs are bit sets: AMX includes it
    return (isa & bf16) == bf16;
  }();
  return supported;
}

Bf16ConvScope::Bf16ConvScope(bool on) : previous_(t_bf16_scope) { t_bf16_scope = on; }
Bf16ConvScope::~Bf16ConvScope() { t_bf16_scope = previous_; }
bool bf16_conv_scope() { return t_bf16_scope && bf16_supported(); }

size_t conv2d_cache_size() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_plans.size();
}

}  // namespace gs::nn
