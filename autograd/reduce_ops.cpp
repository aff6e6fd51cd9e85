// Reductions and softmax: forward and backward together.
#include "autograd/ops.h"
#include "autograd/profiler.h"

namespace gs::ag {

namespace {
// The shape a reduction's output has with keepdim: the reduced dimensions set to 1.
Shape kept_shape(const Shape& in, const std::vector<int64_t>& dims) {
  Shape s = in;
  if (dims.empty()) {
    for (auto& d : s) d = 1;
  }
  for (int64_t d : dims) s[normalize_dim(d, static_cast<int64_t>(in.size()), "reduction")] = 1;
  return s;
}

// Broadcasts a reduced gradient back over the input's shape, times `scale`.
Tensor expand_grad(const Tensor& g, const Shape& in_shape, const std::vector<int64_t>& dims, float scale) {
  Tensor gk = g.reshape(kept_shape(in_shape, dims));
  Tensor out = Tensor::full(in_shape, scale);
  return gs::mul(out, gk);
}
}  // namespace

Variable sum(const Variable& a, const std::vector<int64_t>& dims, bool keepdim) {
  ForwardTimer timer(Op::sum);
  return Variable::make_output(Op::sum, gs::sum(a.value(), dims, keepdim), {a},
                               [dims](std::vector<Variable>& in, const Tensor& g) {
                                 in[0].add_grad(expand_grad(g, in[0].shape(), dims, 1.f));
                               });
}

Variable mean(const Variable& a, const std::vector<int64_t>& dims, bool keepdim) {
  ForwardTimer timer(Op::mean);
  const int64_t n = a.numel() / std::max<int64_t>(1, shape_numel(kept_shape(a.shape(), dims)));
  return Variable::make_output(Op::mean, gs::mean(a.value(), dims, keepdim), {a},
                               [dims, n](std::vector<Variable>& in, const Tensor& g) {
                                 in[0].add_grad(expand_grad(g, in[0].shape(), dims, 1.f / static_cast<float>(n)));
                               });
}

Variable softmax(const Variable& a, int64_t dim) {
  ForwardTimer timer(Op::softmax);
  Tensor y = gs::softmax(a.value(), dim);
  return Variable::make_output(Op::softmax, y, {a}, [y, dim](std::vector<Variable>& in, const Tensor& g) {
    // dx = y * (g - sum(g * y) along dim)
    Tensor gy = gs::mul(g, y);
    in[0].add_grad(gs::mul(y, gs::sub(g, gs::sum(gy, {dim}, true))));
  });
}

}  // namespace gs::ag
