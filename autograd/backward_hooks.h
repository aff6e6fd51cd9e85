// Hooks into the backward pass (autograd/variable.h's backward), for data-parallel training.
#pragma once
#include <functional>

namespace gs::ag {

// While alive, backward passes on this thread call back into data-parallel training
// (train/distributed.h), which must start each gradient's allreduce as soon as that gradient is final
// and give MPI a chance to move the started ones along during the long backward (Open MPI progresses
// a non-blocking collective only inside MPI calls).
struct BackwardHooks {
  // A leaf's gradient is final: every op that used it has run its backward. `leaf` is Variable::id().
  std::function<void(const void* leaf)> gradient_ready;
  std::function<void()> after_op;  // after every op's backward
};
class BackwardHooksScope {
 public:
  explicit BackwardHooksScope(const BackwardHooks& hooks);  // kept by reference: must outlive the scope
  ~BackwardHooksScope();
  BackwardHooksScope(const BackwardHooksScope&) = delete;
  BackwardHooksScope& operator=(const BackwardHooksScope&) = delete;

 private:
  const BackwardHooks* previous_;
};

}  // namespace gs::ag
