#include "models/inference.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <utility>
#include <vector>

#include "arch/network.h"
#include "autograd/profiler.h"
#include "nn/bf16_maps.h"
#include "nn/nhwc_layers.h"
#include "tensor/allocator.h"
#include "tensor/ops.h"

namespace gs::models {

// Two buffers that the layers of one pass write into by turns: each step reads the map in one and
// writes the other. A pass then touches (and page-faults) two maps' worth of memory, not one map per
// step, and never holds more than those two. Both are sized for the largest map of the pass up
// front: grown step by step, the heap would keep every smaller size it outgrew.
class PingPong {
 public:
  explicit PingPong(int64_t capacity) : capacity_(capacity) {}

  // A contiguous tensor of this shape in the buffer that does not hold `reading`.
  Tensor next(const Shape& shape, const Tensor& reading) {
    const int i = buffer_[0].defined() && reading.shares_storage_with(buffer_[0]) ? 1 : 0;
    const int64_t n = shape_numel(shape);
    if (n > capacity_) throw std::logic_error("inference pass: a map of " + shape_str(shape) + " exceeds its buffers");
    if (!buffer_[i].defined()) buffer_[i] = Tensor::empty({capacity_});
    return buffer_[i].slice(0, 0, n).view(shape);
  }

 private:
  int64_t capacity_;
  Tensor buffer_[2];
};

namespace {

// A conv runs in bf16 when both its sides have a multiple of 16 channels: the 3-channel image
// layers gain nothing from a bf16 kernel (few channels to pair up) and cost a tiny share of the time.
bool bf16_shape(const Tensor& w) { return w.size(0) % 16 == 0 && w.size(1) % 16 == 0; }

Precision effective(Precision asked) { return asked == Precision::bf16 && nn::bf16_supported() ? asked : Precision::fp32; }

struct LayerSpec {
  std::string name;
  bool reflect, relu;
};

// The layers of one net; with bf16, the types of each conv's maps follow from its neighbours.
std::vector<InferenceLayer> make_layers(const nn::Module& p, const std::vector<LayerSpec>& specs, Precision precision) {
  std::vector<bool> bf16;
  for (const LayerSpec& s : specs) bf16.push_back(precision == Precision::bf16 && bf16_shape(p.get(s.name + ".weight").value()));
  std::vector<InferenceLayer> layers;
  for (size_t i = 0; i < specs.size(); ++i) {
    const Tensor& w = p.get(specs[i].name + ".weight").value();
    const Tensor& b = p.get(specs[i].name + ".bias").value();
    const int zero_pad = specs[i].reflect ? 0 : static_cast<int>(w.size(2) / 2);  // 3x3: 1, the 1x1 conv0: 0
    const bool next_bf16 = i + 1 < specs.size() && bf16[i + 1];
    const nn::ActivationTypes types{bf16[i], bf16[i] && next_bf16};
    layers.push_back({nn::InferenceConv2d(w, b, nn::Conv2dParams{1, zero_pad}, specs[i].relu, types), specs[i].reflect,
                      w.size(2), false, false, bf16[i] && (i == 0 || !bf16[i - 1])});
  }
  return layers;
}

// The maps one layer writes, in order: the padded input (reflect), the conv output, the pooled or
// upsampled map. in: [N,H,W,C].
std::vector<Shape> step_shapes(const InferenceLayer& l, Shape h) {
  std::vector<Shape> out;
  if (l.convert_before) out.push_back(h = {h[0], h[1], h[2], h[3] / 2});  // packed bf16
  if (l.reflect) out.push_back(h = {h[0], h[1] + 2, h[2] + 2, h[3]});
  out.push_back(h = l.conv.out_shape(h));
  if (l.pool_after) out.push_back({h[0], (h[1] + 1) / 2, (h[2] + 1) / 2, h[3]});
  if (l.upsample_after) out.push_back({h[0], 2 * h[1], 2 * h[2], h[3]});
  return out;
}

// Floats of the largest map that a pass over `layers` writes, for an input of shape `in`.
int64_t largest_map(const std::vector<InferenceLayer>& layers, Shape in) {
  int64_t most = 0;
  for (const InferenceLayer& l : layers)
    for (const Shape& s : step_shapes(l, in)) {
      most = std::max(most, shape_numel(s));
      in = s;
    }
  return most;
}

// One layer on h (in a buffer of `pp` or not); the last step writes into a fresh tensor when `last`.
// Each kernel is timed for a profile (autograd/profiler.h) when one is active.
Tensor apply(const InferenceLayer& l, Tensor h, nn::Upsample mode, PingPong& pp, bool last) {
  const std::vector<Shape> shapes = step_shapes(l, h.shape());
  size_t i = 0;
  auto out = [&] {  // called before each kernel runs, while h is still its input
    const Shape& s = shapes[i++];
    return last && i == shapes.size() ? Tensor() : pp.next(s, h);
  };
  using ag::Kernel, ag::KernelTimer;
  if (l.convert_before) {
    const KernelTimer timer(Kernel::layout_nhwc);  // a change of element type, counted with the layout changes
    h = nn::to_bf16_nhwc(h, out());
  }
  if (l.reflect) {  // a copy: works on packed bf16 maps as they are
    const KernelTimer timer(Kernel::reflection_pad_nhwc);
    h = nn::reflection_pad_nhwc(h, 1, out());
  }
  {
    const double flops = ag::active_profile() ? 2.0 * shape_numel(shapes[i]) * (l.conv.types().dst_bf16 ? 2 : 1) *
                                                    (l.conv.types().src_bf16 ? 2 : 1) * h.size(3) * l.kernel * l.kernel
                                              : 0;
    const KernelTimer timer(Kernel::conv_nhwc, flops);  // 2 flops per multiply-add
    h = l.conv(h, out());
  }
  if (l.pool_after) {
    const KernelTimer timer(Kernel::max_pool_nhwc);
    h = l.conv.types().dst_bf16 ? nn::max_pool2x2_ceil_bf16_nhwc(h, out()) : nn::max_pool2x2_ceil_nhwc(h, out());
  }
  if (l.upsample_after) {
    const KernelTimer timer(Kernel::upsample_nhwc);
    h = l.conv.types().dst_bf16 ? nn::upsample2x_bf16_nhwc(h, mode, out()) : nn::upsample2x_nhwc(h, mode, out());
  }
  return h;
}

// The layout changes on the way in and out, timed as one kernel kind.
Tensor to_nhwc(const Tensor& x) {
  const ag::KernelTimer timer(ag::Kernel::layout_nhwc);
  return nn::to_nhwc(x);
}
Tensor to_nchw(const Tensor& x) {
  const ag::KernelTimer timer(ag::Kernel::layout_nhwc);
  return nn::to_nchw(x);
}

// dst[:, at + i] = src[:, from + i] for i < count; both [N,rows,W,C] contiguous.
void copy_rows(Tensor& dst, int64_t at, const Tensor& src, int64_t from, int64_t count) {
  const int64_t row = dst.size(2) * dst.size(3);
  for (int64_t n = 0; n < dst.size(0); ++n)
    std::memcpy(dst.data() + (n * dst.size(1) + at) * row, src.data() + (n * src.size(1) + from) * row,
                sizeof(float) * count * row);
}

// Rows [r0, r1) of a [N,H,W,C] map, contiguous.
Tensor rows_of(const Tensor& x, int64_t r0, int64_t r1) { return x.slice(1, r0, r1).contiguous(); }

}  // namespace

EncoderInference::EncoderInference(const nn::Module& p, const ModelConfig& config, Precision precision)
    : config_(config), precision_(effective(precision)) {
  const bool vgg_normalised = config.encoder == EncoderLayout::vgg_normalised;
  std::vector<LayerSpec> specs;
  std::vector<bool> pool_after;
  for (const arch::ConvLayer& spec : arch::encoder_layers()) {
    if (!vgg_normalised && spec.torchvision_index < 0) continue;  // conv0 is vgg_normalised's own
    // The 1x1 conv0 has no padding; the 3x3 convs are reflection-padded in vgg_normalised.
    specs.push_back({std::string("encoder.") + spec.name, spec.kernel == 3 && vgg_normalised, spec.relu});
    pool_after.push_back(spec.pool_after);
    if (spec.relu_level == 4) break;
  }
  layers_ = make_layers(p, specs, precision_);
  for (size_t i = 0; i < layers_.size(); ++i) layers_[i].pool_after = pool_after[i];
}

Tensor EncoderInference::run_nhwc(const Tensor& x, PingPong& pp) const {
  Tensor h = x;
  for (size_t i = 0; i < layers_.size(); ++i)
    h = apply(layers_[i], h, nn::Upsample::nearest, pp, i + 1 == layers_.size());
  return h;
}

namespace {
// x: [N,3,H,W] RGB -> what the first conv reads (torchvision's layout normalises first).
Tensor encoder_input(const Tensor& x, const ModelConfig& config) {
  if (x.dim() != 4 || x.size(1) != 3)
    throw std::invalid_argument("encoder input must be [N,3,H,W] RGB, got " + shape_str(x.shape()));
  if (config.encoder != EncoderLayout::torchvision) return x;
  return mul(sub(x, Tensor({1, 3, 1, 1}, {0.485f, 0.456f, 0.406f})),  // torchvision's (x - mean) / std
             Tensor({1, 3, 1, 1}, {1 / 0.229f, 1 / 0.224f, 1 / 0.225f}));
}
}  // namespace

std::vector<Tensor> EncoderInference::relus(const Tensor& x) const {
  const Tensor image = to_nhwc(encoder_input(x, config_));
  PingPong pp(largest_map(layers_, image.shape()));
  // layers_ holds the convs of encoder_conv_names in order, up to conv4_1; no relu*_1 pools after.
  const std::vector<std::string> names = encoder_conv_names(config_.encoder);
  std::vector<Tensor> out;
  Tensor h = image;
  for (size_t i = 0; i < layers_.size(); ++i) {
    h = apply(layers_[i], h, nn::Upsample::nearest, pp, i + 1 == layers_.size());
    if (names[i] == "conv1_1" || names[i] == "conv2_1" || names[i] == "conv3_1" || names[i] == "conv4_1")
      // a copy: h lives in a buffer that the next layers overwrite
      out.push_back(to_nchw(layers_[i].conv.types().dst_bf16 ? nn::from_bf16_nhwc(h) : h));
  }
  return out;
}

Tensor EncoderInference::operator()(const Tensor& x_in, int64_t strip_pixels) const {
  const Tensor x = encoder_input(x_in, config_);
  const Tensor image = to_nhwc(x);
  const int64_t N = image.size(0), H = image.size(1), W = image.size(2);
  if (H * W <= strip_pixels) {
    PingPong pp(largest_map(layers_, image.shape()));
    return to_nchw(run_nhwc(image, pp));
  }
  if (trim_heap_) release_free_memory();  // a large image: memory counts more than page faults
  const int64_t rows = (H + 7) / 8;
  const std::vector<Strip> strips = plan_strips(rows, strip_rows(W, kEncoderHalo, strip_pixels), kEncoderHalo);
  auto image_rows = [&](const Strip& s) { return std::pair{8 * s.halo_begin, std::min(H, 8 * s.halo_end)}; };
  int64_t capacity = 0;  // the buffers serve every strip
  for (const Strip& s : strips) {
    const auto [r0, r1] = image_rows(s);
    capacity = std::max(capacity, largest_map(layers_, {N, r1 - r0, W, 3}));
  }
  PingPong pp(capacity);
  Tensor out = Tensor::empty({N, rows, (W + 7) / 8, config_.channels()});
  for (const Strip& s : strips) {
    const auto [r0, r1] = image_rows(s);
    copy_rows(out, s.begin, run_nhwc(rows_of(image, r0, r1), pp), s.begin - s.halo_begin, s.end - s.begin);
  }
  return to_nchw(out);
}

DecoderInference::DecoderInference(const nn::Module& p, const ModelConfig& config, Precision precision)
    : config_(config), precision_(effective(precision)) {
  std::vector<LayerSpec> specs;
  std::vector<bool> upsample_after;
  for (const arch::ConvLayer& spec : arch::decoder_layers()) {
    specs.push_back({std::string("decoder.") + spec.name, true, spec.relu});
    upsample_after.push_back(spec.upsample_after);
  }
  layers_ = make_layers(p, specs, precision_);
  for (size_t i = 0; i < layers_.size(); ++i) layers_[i].upsample_after = upsample_after[i];
}

Tensor DecoderInference::run_nhwc(const Tensor& t, PingPong& pp) const {
  const nn::Upsample mode = config_.upsample == UpsampleMode::nearest ? nn::Upsample::nearest : nn::Upsample::bilinear;
  Tensor h = t;
  for (size_t i = 0; i < layers_.size(); ++i) h = apply(layers_[i], h, mode, pp, i + 1 == layers_.size());
  return h;
}

Tensor DecoderInference::operator()(const Tensor& t_in, int64_t strip_pixels) const {
  if (t_in.dim() != 4 || t_in.size(1) != config_.channels())
    throw std::invalid_argument("decoder input must be [N," + std::to_string(config_.channels()) + ",h,w], got " +
                                shape_str(t_in.shape()));
  const Tensor t = to_nhwc(t_in);
  const int64_t N = t.size(0), rows = t.size(1), W = 8 * t.size(2);
  if (8 * rows * W <= strip_pixels) {
    PingPong pp(largest_map(layers_, t.shape()));
    return to_nchw(run_nhwc(t, pp));
  }
  if (trim_heap_) release_free_memory();  // a large image: what the graph stage left free in the heap goes back first
  const std::vector<Strip> strips = plan_strips(rows, strip_rows(W, kDecoderHalo, strip_pixels), kDecoderHalo);
  int64_t capacity = 0;
  for (const Strip& s : strips)
    capacity = std::max(capacity, largest_map(layers_, {N, s.halo_end - s.halo_begin, t.size(2), t.size(3)}));
  PingPong pp(capacity);
  Tensor out = Tensor::empty({N, 8 * rows, W, 3});
  for (const Strip& s : strips) {
    const Tensor part = run_nhwc(rows_of(t, s.halo_begin, s.halo_end), pp);
    copy_rows(out, 8 * s.begin, part, 8 * (s.begin - s.halo_begin), 8 * (s.end - s.begin));
  }
  return to_nchw(out);
}

}  // namespace gs::models
