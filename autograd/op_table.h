// Every op the autograd graph can record, in one table (like ggml's op enum and name array): its
// name, the function that computes the forward, what computes the backward, and the file holding
// both. make_output takes an Op, so an op missing here does not compile; to_dot labels nodes from
// the table and docs/tour.md points readers at it.
#pragma once
#include <cstddef>
#include <cstdint>

namespace gs::ag {

// X(name, forward, backward, file)
#define GS_AUTOGRAD_OPS(X)                                                                                   \
  X(add, "ag::add", "lambda: g summed to each input's shape", "autograd/elementwise_ops.cpp")              \
  X(sub, "ag::sub", "lambda: g, -g summed to shape", "autograd/elementwise_ops.cpp")                       \
  X(mul, "ag::mul", "lambda: g*b, g*a summed to shape", "autograd/elementwise_ops.cpp")                    \
  X(div, "ag::div", "lambda: g/b, -g*a/b^2 summed to shape", "autograd/elementwise_ops.cpp")               \
  X(neg, "ag::neg", "lambda: -g", "autograd/elementwise_ops.cpp")                                          \
  X(add_scalar, "ag::add_scalar", "lambda: g", "autograd/elementwise_ops.cpp")                             \
  X(mul_scalar, "ag::mul_scalar", "lambda: s*g", "autograd/elementwise_ops.cpp")                           \
  X(exp, "ag::exp", "lambda: g*y", "autograd/elementwise_ops.cpp")                                         \
  X(log, "ag::log", "lambda: g/x", "autograd/elementwise_ops.cpp")                                         \
  X(sqrt, "ag::sqrt", "lambda: g/(2y)", "autograd/elementwise_ops.cpp")                                    \
  X(pow, "ag::pow", "lambda: g*e*x^(e-1)", "autograd/elementwise_ops.cpp")                                 \
  X(relu, "ag::relu", "lambda: g*(x>0)", "autograd/elementwise_ops.cpp")                                   \
  X(leaky_relu, "ag::leaky_relu", "lambda: g*(x>0 ? 1 : slope)", "autograd/elementwise_ops.cpp")           \
  X(sigmoid, "ag::sigmoid", "lambda: g*y*(1-y)", "autograd/elementwise_ops.cpp")                           \
  X(sum, "ag::sum", "lambda: g expanded", "autograd/reduce_ops.cpp")                                       \
  X(mean, "ag::mean", "lambda: g expanded / n", "autograd/reduce_ops.cpp")                                 \
  X(softmax, "ag::softmax", "lambda: y*(g - sum(g*y))", "autograd/reduce_ops.cpp")                         \
  X(reshape, "ag::reshape", "lambda: g reshaped back", "autograd/shape_ops.cpp")                           \
  X(permute, "ag::permute", "lambda: g permuted back", "autograd/shape_ops.cpp")                           \
  X(concat, "ag::concat", "lambda: slices of g", "autograd/shape_ops.cpp")                                 \
  X(index_select, "ag::index_select", "gs::index_add", "autograd/shape_ops.cpp")                           \
  X(gather, "ag::gather", "gs::scatter_add", "autograd/shape_ops.cpp")                                     \
  X(matmul, "ag::matmul", "lambda: g b^T, a^T g", "autograd/linalg_ops.cpp")                               \
  X(bmm, "ag::bmm", "lambda: g b^T, a^T g per batch", "autograd/linalg_ops.cpp")                           \
  X(mse_loss, "ag::mse_loss", "lambda: 2 (a-b) g / n", "autograd/loss_ops.cpp")                            \
  X(conv2d, "nn::conv2d", "nn::conv2d_backward_data, conv2d_backward_weights", "nn/conv2d.cpp")            \
  X(conv2d_relu, "nn::conv2d_relu", "relu mask, then as conv2d", "nn/conv2d.cpp")                          \
  X(reflection_pad2d, "nn::reflection_pad2d", "reflection_pad_backward", "nn/image_layers.cpp")            \
  X(max_pool2x2_ceil, "nn::max_pool2x2_ceil", "max_pool_backward", "nn/image_layers.cpp")                  \
  X(upsample_nearest2x, "nn::upsample2x", "upsample_nearest_backward", "nn/image_layers.cpp")              \
  X(upsample_bilinear2x, "nn::upsample2x", "upsample_bilinear_backward", "nn/image_layers.cpp")            \
  X(unfold, "graph::unfold", "fold_sum", "graph/patches.cpp")                                              \
  X(fold_average, "graph::fold_average", "unfold_columns / coverage", "graph/patches.cpp")                 \
  X(patch_mean, "graph::patch_mean", "lambda: g spread over each patch", "graph/patches.cpp")              \
  X(channel_dot, "graph::score_map (channel_dot)", "lambda", "graph/attention.cpp")                        \
  X(deform_sample, "graph::deform_sample", "lambda: bilinear weights, scale derivative", "graph/deform_sample.cpp") \
  X(fused_fold, "graph::aggregate_fold, gather_fold", "lambda: recomputes the samples", "graph/message_passing.cpp") \
  X(node_scales, "graph::node_scales", "lambda", "graph/scale_predictor.cpp")

enum class Op : uint8_t {
#define GS_OP_ENUM(name, forward, backward, file) name,
  GS_AUTOGRAD_OPS(GS_OP_ENUM)
#undef GS_OP_ENUM
  count
};

struct OpInfo {
  const char* name;
  const char* forward;   // the function a caller uses
  const char* backward;  // what computes the gradients
  const char* file;      // where forward and backward sit together
};

constexpr OpInfo kOps[] = {
#define GS_OP_ROW(name, forward, backward, file) {#name, forward, backward, file},
    GS_AUTOGRAD_OPS(GS_OP_ROW)
#undef GS_OP_ROW
};
static_assert(sizeof(kOps) / sizeof(kOps[0]) == static_cast<size_t>(Op::count), "one row per Op");

inline const OpInfo& op_info(Op op) { return kOps[static_cast<size_t>(op)]; }

}  // namespace gs::ag
