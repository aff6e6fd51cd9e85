// Losses: forward and backward together.
#include <stdexcept>

#include "autograd/ops.h"
#include "autograd/profiler.h"

namespace gs::ag {

// a, b: same shape -> [] mean((a - b)^2)
Variable mse_loss(const Variable& a, const Variable& b) {
  ForwardTimer timer(Op::mse_loss);
  if (a.shape() != b.shape())
    throw std::invalid_argument("mse_loss: shapes " + shape_str(a.shape()) + " and " + shape_str(b.shape()) +
                                " differ");
  Tensor diff = gs::sub(a.value(), b.value());
  double s = 0;
  for (int64_t i = 0; i < diff.numel(); ++i) s += double(diff.data()[i]) * diff.data()[i];
  const float n = static_cast<float>(diff.numel());
  Tensor loss = Tensor::scalar(static_cast<float>(s / n));
  return Variable::make_output(Op::mse_loss, loss, {a, b}, [diff, n](std::vector<Variable>& in, const Tensor& g) {
    Tensor d = gs::mul_scalar(diff, 2.f * g.item() / n);
    if (in[0].requires_grad()) in[0].add_grad(d);
    if (in[1].requires_grad()) in[1].add_grad(gs::neg(d));
  });
}

}  // namespace gs::ag
