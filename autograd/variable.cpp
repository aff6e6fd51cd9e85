#include "autograd/variable.h"

#include <chrono>
#include <stdexcept>
#include <unordered_set>

#include "autograd/backward_hooks.h"
#include "autograd/profiler.h"
#include "tensor/ops.h"

namespace gs::ag {

namespace {
thread_local bool g_grad_enabled = true;
thread_local const BackwardHooks* g_hooks = nullptr;
}

bool grad_enabled() { return g_grad_enabled; }
NoGradGuard::NoGradGuard() : previous_(g_grad_enabled) { g_grad_enabled = false; }
NoGradGuard::~NoGradGuard() { g_grad_enabled = previous_; }
BackwardHooksScope::BackwardHooksScope(const BackwardHooks& hooks) : previous_(g_hooks) { g_hooks = &hooks; }
BackwardHooksScope::~BackwardHooksScope() { g_hooks = previous_; }

Variable::Variable(Tensor value, bool requires_grad) : impl_(std::make_shared<Impl>()) {
  impl_->value = std::move(value);
  impl_->requires_grad = requires_grad;
}

const Tensor& Variable::grad() const {
  if (!impl_->grad.defined())
    throw std::logic_error("no gradient has reached this variable of shape " + shape_str(shape()) +
                           " (does it require grad, and has backward() run?)");
  return impl_->grad;
}

void Variable::add_grad(const Tensor& g) {
  if (g.shape() != shape())
    throw std::logic_error("gradient of shape " + shape_str(g.shape()) + " for a variable of shape " +
                           shape_str(shape()));
  if (!impl_->grad.defined()) {
    // Own the buffer: the incoming tensor may be shared with another variable's gradient.
    impl_->grad = g.clone();
  } else {
    add_(impl_->grad, g);
  }
}

Variable Variable::make_output(Op op, Tensor value, std::vector<Variable> inputs, BackwardFn backward) {
  bool needs = false;
  if (g_grad_enabled)
    for (const Variable& v : inputs) needs = needs || (v.defined() && v.requires_grad());
  Variable out(std::move(value), needs);
  if (needs) {
    out.impl_->op = op;
    out.impl_->inputs = std::move(inputs);
    out.impl_->backward = std::move(backward);
  }
  return out;
}

void Variable::backward() {
  if (numel() != 1)
    throw std::logic_error("backward() without a seed needs a one-element variable, this one has shape " +
                           shape_str(shape()));
  backward(Tensor::ones(shape()));
}

void Variable::backward(const Tensor& seed) {
  if (!requires_grad()) throw std::logic_error("backward() on a variable that does not require grad");
  ag::backward({*this}, {seed});
}

void backward(const std::vector<Variable>& roots, const std::vector<Tensor>& seeds) {
  using Impl = Variable::Impl;
  if (roots.size() != seeds.size()) throw std::logic_error("backward: one seed per root is needed");
  // Reverse topological order by an iterative depth-first search (graphs can be deep). The list
  // owns its nodes: releasing a node's inputs below must not free a node still waiting its turn.
  std::vector<std::shared_ptr<Impl>> order;
  std::unordered_set<Impl*> seen;
  for (const Variable& root : roots) {
    // One search per root: a root that feeds another root must still come after it in `order`.
    if (!root.requires_grad() || !seen.insert(root.impl_.get()).second) continue;
    std::vector<std::pair<std::shared_ptr<Impl>, size_t>> stack{{root.impl_, 0}};
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next < node->inputs.size()) {
        const std::shared_ptr<Impl>& child = node->inputs[next++].impl_;
        if (child && child->requires_grad && seen.insert(child.get()).second) stack.push_back({child, 0});
      } else {
        order.push_back(std::move(node));
        stack.pop_back();
      }
    }
  }
  for (size_t i = 0; i < roots.size(); ++i) {
    Variable root = roots[i];
    if (root.requires_grad()) root.add_grad(seeds[i]);
  }
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    Impl* node = it->get();
    if (node->backward && node->grad.defined()) {
      Profile* profile = active_profile();
      const auto start = profile ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
      node->backward(node->inputs, node->grad);
      if (profile)
        profile->ops[static_cast<size_t>(node->op)].backward_s +=
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      // Like PyTorch without retain_graph: an interior node's gradient and saved tensors are released
      // as soon as they are used, so training memory shrinks during the backward pass. Leaves keep
      // their gradients for the optimiser.
      node->grad = Tensor();
      node->inputs.clear();
      node->backward = nullptr;
      if (g_hooks && g_hooks->after_op) g_hooks->after_op();
    } else if (g_hooks && g_hooks->gradient_ready && node->grad.defined()) {
      // A leaf comes before every node that uses it in `order` (a post-order), so all of them have
      // added their share to its gradient by now.
      g_hooks->gradient_ready(node);
    }
    it->reset();
  }
}

}  // namespace gs::ag
