// Variable: a tensor that remembers how it was computed, for reverse-mode differentiation.
//
// An op makes its output with make_output(Op::name, value, {inputs...}, backward): the backward lambda gets
// the op's inputs and the gradient of the output and adds into inputs[i] only the gradients of the
// inputs that require them (flashlight's style: forward and backward of an op sit together).
// backward() walks the graph once, in reverse topological order, so a variable used twice gets the
// sum of both gradients before its own backward runs.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "autograd/op_table.h"
#include "tensor/tensor.h"

namespace gs::ag {

class Variable;
using BackwardFn = std::function<void(std::vector<Variable>& inputs, const Tensor& grad_output)>;

class Variable {
 public:
  Variable() = default;  // undefined
  explicit Variable(Tensor value, bool requires_grad = false);

  bool defined() const { return impl_ != nullptr; }
  const Tensor& value() const { return impl_->value; }
  Tensor& value() { return impl_->value; }
  const Shape& shape() const { return impl_->value.shape(); }
  int64_t dim() const { return impl_->value.dim(); }
  int64_t size(int64_t d) const { return impl_->value.size(d); }
  int64_t numel() const { return impl_->value.numel(); }

  bool requires_grad() const { return impl_->requires_grad; }
  void set_requires_grad(bool on) { impl_->requires_grad = on; }
  bool has_grad() const { return impl_->grad.defined(); }
  const Tensor& grad() const;             // throws if no gradient has reached this variable
  void add_grad(const Tensor& g);         // accumulate; shapes must match
  void zero_grad() { impl_->grad = Tensor(); }

  // d(this)/d(leaves). A one-element variable seeds with 1; otherwise pass the seed.
  void backward();
  void backward(const Tensor& seed);

  // The same value, cut off from the graph.
  Variable detach() const { return Variable(impl_->value, false); }
  bool same_as(const Variable& other) const { return impl_ == other.impl_; }

  // Used by ops: inputs and backward are recorded only when grad mode is on and an input needs them.
  // `op` is the op's row in autograd/op_table.h (its name in the drawn graph, autograd/to_dot.h).
  static Variable make_output(Op op, Tensor value, std::vector<Variable> inputs, BackwardFn backward);

  // The recorded graph, read-only (for to_dot): the op that made this variable (meaningful only when
  // inputs() is not empty), and its inputs (empty for a leaf, an unrecorded result, or once
  // backward() has released them).
  Op op() const { return impl_->op; }
  const std::vector<Variable>& inputs() const { return impl_->inputs; }
  const void* id() const { return impl_.get(); }

 private:
  friend void backward(const std::vector<Variable>& roots, const std::vector<Tensor>& seeds);
  struct Impl {
    Tensor value;
    Tensor grad;
    bool requires_grad = false;
    Op op = Op::count;
    std::vector<Variable> inputs;
    BackwardFn backward;
  };
  std::shared_ptr<Impl> impl_;
};

// d(sum_i <seeds[i], roots[i]>)/d(leaves) in one pass: several outputs of one graph (a fixture's
// outputs, a loss with parts) share their interior nodes, which run once.
void backward(const std::vector<Variable>& roots, const std::vector<Tensor>& seeds);

// While alive, ops record nothing (inference, frozen encoders, optimiser updates).
class NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};
bool grad_enabled();

}  // namespace gs::ag
