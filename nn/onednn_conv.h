// 2-D convolution on plain tensors through oneDNN: forward, backward-data and backward-weights on
// NCHW activations and OIHW weights, and an inference-only forward on NHWC activations
// (InferenceConv2d, below). Convolution is cross-correlation with zero padding, square kernels of
// any size, one stride for both axes.
//
// What is cached, and why. oneDNN splits a convolution into a primitive descriptor (the search for
// the fastest implementation and its memory layouts) and a primitive (JIT-compiled machine code).
// Both cost far more than a small convolution itself (milliseconds), and a training run repeats the
// same few shapes millions of times. So for every (kind, x shape, w shape, stride, pad, bias, fused
// ReLU) we build them once and keep them, together with the reorder primitives between our tensors'
// layouts and the blocked layouts oneDNN picks (format_tag::any): a reorder is run only for an
// argument whose chosen layout differs from ours. Every image size brings new shapes, so at most
// 512 are kept, the least recently used dropped first. The kinds are forward_inference (no gradient
// will be asked for: oneDNN may skip work kept for backward), forward_training, backward_data,
// backward_weights, and forward_nhwc (InferenceConv2d: channels-last activations, weights laid out
// by the caller); the two backward kinds are created with the forward_training descriptor of the
// same shapes as their hint, as oneDNN requires. The cache holds no tensor data, only code and
// layouts, and is guarded by a mutex. The buffers that hold reordered arguments live for one call;
// the heap hands the same memory to the next call without page faults (tensor/allocator.h), and
// nothing stays allocated after a large image.
//
// Threads: one global engine and stream. Debian's oneDNN is built with the OpenMP runtime, so its
// kernels run on the same OpenMP threads as ours (OMP_NUM_THREADS applies to both). Calls from
// several threads are safe but run one at a time (each one already uses every core).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

#include "tensor/tensor.h"

namespace gs::nn {

struct Conv2dParams {
  int stride = 1, pad = 0;
};

// floor((in + 2 pad - kernel) / stride) + 1
int64_t conv2d_out_size(int64_t in, int64_t kernel, Conv2dParams p);
// Checks x: [N,Ci,H,W], w: [Co,Ci,k,k] and bias: [Co] (pass an empty shape for no bias) and returns
// [N,Co,Ho,Wo]. `what` names the caller in the error message, which gives every shape involved.
Shape conv2d_out_shape(const Shape& x, const Shape& w, const Shape& bias, Conv2dParams p, const char* what);

enum class ConvPass { inference, training };

// x: [N,Ci,H,W], w: [Co,Ci,k,k], bias: [Co] or undefined -> [N,Co,Ho,Wo].
// fuse_relu applies max(0, .) to the result inside the same primitive (a oneDNN post-op).
Tensor conv2d_forward(const Tensor& x, const Tensor& w, const Tensor& bias, Conv2dParams p,
                      ConvPass pass = ConvPass::inference, bool fuse_relu = false);

// gy: [N,Co,Ho,Wo], w: [Co,Ci,k,k] -> gx: x_shape = [N,Ci,H,W]
Tensor conv2d_backward_data(const Tensor& gy, const Tensor& w, const Shape& x_shape, Conv2dParams p);

// x: [N,Ci,H,W], gy: [N,Co,Ho,Wo] -> w: w_shape = [Co,Ci,k,k], bias: [Co] (only if with_bias)
struct Conv2dWeightGrads {
  Tensor w, bias;
};
Conv2dWeightGrads conv2d_backward_weights(const Tensor& x, const Tensor& gy, const Shape& w_shape, bool with_bias,
                                          Conv2dParams p);

// A convolution for inference on channels-last maps (nn/nhwc_layers.h): x [N,H,W,Ci] ->
// [N,Ho,Wo,Co] = conv2d_forward of the same maps, zero-padded by p.pad, ReLU fused if asked. The
// activations need no reorder (channels-last is what the primitive reads and writes), and the
// weights are put into the primitive's layout on first use and kept in this object: a network that
// builds its layers once per call (one image in strips, content and style) lays each weight out
// once. Build it anew whenever the weights may have changed (a training step).
//
// bf16 (`ActivationTypes`): with src_bf16 the input map holds bfloat16 values, the weights are
// converted to bf16 once (with their layout) and the kernel multiplies in bf16 and accumulates in
// fp32 (bias in fp32); with dst_bf16 the output is rounded to bf16 too, else it is fp32. bf16 maps
// are packed two values to a float (nn/bf16_maps.h): a [N,H,W,C] bf16 map is a [N,H,W,C/2] tensor,
// so C must be even, and x, out and out_shape use the packed shapes.
struct ActivationTypes {
  bool src_bf16 = false, dst_bf16 = false;  // dst_bf16 needs src_bf16
};

class InferenceConv2d {
 public:
  // w: [Co,Ci,k,k], bias: [Co] or undefined; both are read when the object is built.
  InferenceConv2d(const Tensor& w, const Tensor& bias, Conv2dParams p = {}, bool relu = false,
                  ActivationTypes types = {});
  // Writes into `out` if given (a contiguous [N,Ho,Wo,Co] tensor), else into a fresh one.
  Tensor operator()(const Tensor& x, Tensor out = {}) const;
  Shape out_shape(const Shape& x) const;  // [N,H,W,Ci] -> [N,Ho,Wo,Co]; throws on a mismatch
  ActivationTypes types() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// Whether this CPU runs bf16 convolutions natively (oneDNN's effective ISA has AVX512-BF16 or AMX;
// ONEDNN_MAX_CPU_ISA can lower it). Without, oneDNN would emulate bf16, slower than fp32.
bool bf16_supported();

// Mixed precision for training: while one lives on a thread (with on), that thread's convolutions
// through conv2d_forward, conv2d_backward_data and conv2d_backward_weights multiply in bf16 and sum
// in fp32. Our tensors stay fp32 (the master weights, activations, gradients): the reorders that lay
// the arguments out for oneDNN anyway convert them to bf16, and the results come back in fp32.
// Without bf16_supported() it changes nothing. Scopes nest; the innermost decides.
class Bf16ConvScope {
 public:
  explicit Bf16ConvScope(bool on = true);
  ~Bf16ConvScope();
  Bf16ConvScope(const Bf16ConvScope&) = delete;
  Bf16ConvScope& operator=(const Bf16ConvScope&) = delete;

 private:
  bool previous_;
};

// Whether a Bf16ConvScope is on for this thread (and bf16_supported()): the inference nets built
// inside one (a training step's frozen encoder) follow it.
bool bf16_conv_scope();

// Number of cached primitives (for tests: repeated shapes must not add entries).
size_t conv2d_cache_size();

}  // namespace gs::nn
