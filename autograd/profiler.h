// Where the time of a forward and backward pass goes, per op kind of autograd/op_table.h.
//
// While a ProfileScope is alive, the autograd ops run on its thread add their calls, forward time
// (the op's function, recording included), backward time (its backward in ag::backward) and, for
// convolutions, floating-point operations into its Profile. Scopes nest; without one an op pays
// one thread-local read. The caller decides what to do with the table (the library prints nothing).
//
// Inference runs no autograd ops for its heavy parts: the channels-last encoder and decoder
// (models/inference.cpp) and the k-NN edge search (graph/ncc_topk.h) report as the kernels of
// GS_INFERENCE_KERNELS through a KernelTimer, in the same table. A caller that knows the stages of
// its work (the API's stylization: encode, graph parts, decode) adds their wall time as stages.
#pragma once
#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "autograd/op_table.h"

namespace gs::ag {

// Kernels outside autograd, timed like ops. X(name, function, file)
#define GS_INFERENCE_KERNELS(X)                                                                                 \
  X(conv_nhwc, "nn::InferenceConv2d (conv + bias, the ReLU fused in as a oneDNN post-op)", "nn/onednn_conv.cpp") \
  X(reflection_pad_nhwc, "nn::reflection_pad_nhwc", "nn/nhwc_layers.cpp")                                       \
  X(max_pool_nhwc, "nn::max_pool2x2_ceil_nhwc", "nn/nhwc_layers.cpp")                                           \
  X(upsample_nhwc, "nn::upsample2x_nhwc", "nn/nhwc_layers.cpp")                                                 \
  X(layout_nhwc, "nn::to_nhwc, nn::to_nchw (once in, once out)", "nn/nhwc_layers.cpp")                          \
  X(knn_inter, "graph::inter_edges (NCC k-NN, style -> content)", "graph/ncc_topk.cpp")                         \
  X(knn_intra, "graph::intra_edges (NCC k-NN, content -> content)", "graph/ncc_topk.cpp")

enum class Kernel : uint8_t {
#define GS_KERNEL_ENUM(name, function, file) name,
  GS_INFERENCE_KERNELS(GS_KERNEL_ENUM)
#undef GS_KERNEL_ENUM
  count
};

struct OpStats {
  int64_t calls = 0;
  double forward_s = 0, backward_s = 0;
  double flops = 0;  // counted only where known: convolutions (2 multiply-adds per MAC, both passes)
};

struct Profile {
  std::array<OpStats, static_cast<size_t>(Op::count)> ops{};
  std::array<OpStats, static_cast<size_t>(Kernel::count)> inference{};  // forward_s only
  // oneDNN convolution runs by "kind implementation" (the implementation name is impl_info_str(),
  // what ONEDNN_VERBOSE=1 prints for the primitive), e.g. "forward_training brgconv:avx512_core".
  std::map<std::string, int64_t> kernels;
  // Wall time of named stages in the order first seen (added by the caller: add_stage).
  std::vector<std::pair<std::string, double>> stages;

  double total_s() const;  // time in ops and inference kernels
  bool empty() const;      // nothing was timed
  void add_stage(const std::string& name, double seconds);
  void add(const Profile& other);  // sums every count and time
  // One line per op kind that ran, the slowest first: calls, forward, backward, total ms, share of
  // the profiled time, GFLOP/s where flops are known; then the oneDNN kernels that ran; then the
  // stages with their share of the stages' time.
  std::string table() const;
};

class ProfileScope {
 public:
  explicit ProfileScope(Profile& profile);
  ~ProfileScope();
  ProfileScope(const ProfileScope&) = delete;
  ProfileScope& operator=(const ProfileScope&) = delete;

 private:
  Profile* previous_;
};

Profile* active_profile();  // this thread's, or null

// Times one op's forward (construct at the top of the op's function). `flops` of the forward, if known.
class ForwardTimer {
 public:
  explicit ForwardTimer(Op op, double flops = 0);
  ~ForwardTimer();
  ForwardTimer(const ForwardTimer&) = delete;
  ForwardTimer& operator=(const ForwardTimer&) = delete;

 private:
  Profile* profile_;
  Op op_;
  double flops_;
  std::chrono::steady_clock::time_point start_;
};

const char* kernel_name(Kernel kernel);

// Times one inference kernel (construct before it runs); `flops` of the kernel, if known.
class KernelTimer {
 public:
  explicit KernelTimer(Kernel kernel, double flops = 0);
  ~KernelTimer();
  KernelTimer(const KernelTimer&) = delete;
  KernelTimer& operator=(const KernelTimer&) = delete;

 private:
  Profile* profile_;
  Kernel kernel_;
  double flops_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace gs::ag
