// Where the time of a forward and backward pass goes, per op kind of autograd/op_table.h.
//
// While a ProfileScope is alive, the autograd ops run on its thread add their calls, forward time
// (the op's function, recording included), backward time (its backward in ag::backward) and, for
// convolutions, floating-point operations into its Profile. Scopes nest; without one an op pays
// one thread-local read. The caller decides what to do with the table (the library prints nothing).
#pragma once
#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "autograd/op_table.h"

namespace gs::ag {

struct OpStats {
  int64_t calls = 0;
  double forward_s = 0, backward_s = 0;
  double flops = 0;  // counted only where known: convolutions (2 multiply-adds per MAC, both passes)
};

struct Profile {
  std::array<OpStats, static_cast<size_t>(Op::count)> ops{};
  // oneDNN convolution runs by "kind implementation" (the implementation name is impl_info_str(),
  // what ONEDNN_VERBOSE=1 prints for the primitive), e.g. "forward_training brgconv:avx512_core".
  std::map<std::string, int64_t> kernels;
  double total_s() const;
  // One line per op kind that ran, the slowest first: calls, forward, backward, total ms, share of
  // the profiled time, GFLOP/s where flops are known; then the oneDNN kernels that ran.
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

}  // namespace gs::ag
