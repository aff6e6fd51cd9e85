// Matrix products: forward and backward together. For C = A B: dA = dC B^T, dB = A^T dC.
#include "autograd/ops.h"
#include "autograd/profiler.h"

namespace gs::ag {

Variable matmul(const Variable& a, const Variable& b) {
  ForwardTimer timer(Op::matmul);
  return Variable::make_output(Op::matmul, gs::matmul(a.value(), b.value()), {a, b},
                               [](std::vector<Variable>& in, const Tensor& g) {
                                 if (in[0].requires_grad()) in[0].add_grad(gs::matmul(g, in[1].value(), false, true));
                                 if (in[1].requires_grad()) in[1].add_grad(gs::matmul(in[0].value(), g, true, false));
                               });
}

Variable bmm(const Variable& a, const Variable& b) {
  ForwardTimer timer(Op::bmm);
  return Variable::make_output(Op::bmm, gs::bmm(a.value(), b.value()), {a, b}, [](std::vector<Variable>& in, const Tensor& g) {
    if (in[0].requires_grad()) in[0].add_grad(gs::bmm(g, in[1].value(), false, true));
    if (in[1].requires_grad()) in[1].add_grad(gs::bmm(in[0].value(), g, true, false));
  });
}

}  // namespace gs::ag
