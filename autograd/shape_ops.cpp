// Shape and indexing ops: forward and backward together.
#include "autograd/ops.h"
#include "autograd/profiler.h"

namespace gs::ag {

Variable reshape(const Variable& a, const Shape& shape) {
  ForwardTimer timer(Op::reshape);
  return Variable::make_output(Op::reshape, a.value().reshape(shape), {a}, [](std::vector<Variable>& in, const Tensor& g) {
    in[0].add_grad(g.reshape(in[0].shape()));
  });
}

Variable permute(const Variable& a, const std::vector<int64_t>& order) {
  ForwardTimer timer(Op::permute);
  std::vector<int64_t> inverse(order.size());
  for (size_t i = 0; i < order.size(); ++i) inverse[normalize_dim(order[i], a.dim(), "permute")] = static_cast<int64_t>(i);
  return Variable::make_output(Op::permute, a.value().permute(order).contiguous(), {a},
                               [inverse](std::vector<Variable>& in, const Tensor& g) {
                                 in[0].add_grad(g.permute(inverse).contiguous());
                               });
}

Variable concat(const std::vector<Variable>& parts, int64_t dim) {
  ForwardTimer timer(Op::concat);
  std::vector<Tensor> values;
  for (const Variable& p : parts) values.push_back(p.value());
  Tensor out = gs::concat(values, dim);
  const int64_t d = normalize_dim(dim, out.dim(), "concat");
  return Variable::make_output(Op::concat, out, parts, [d](std::vector<Variable>& in, const Tensor& g) {
    int64_t at = 0;
    for (Variable& p : in) {
      const int64_t n = p.size(d);
      if (p.requires_grad()) p.add_grad(g.slice(d, at, at + n).contiguous());
      at += n;
    }
  });
}

Variable index_select(const Variable& a, int64_t dim, const std::vector<int64_t>& index) {
  ForwardTimer timer(Op::index_select);
  return Variable::make_output(Op::index_select, gs::index_select(a.value(), dim, index), {a},
                               [dim, index](std::vector<Variable>& in, const Tensor& g) {
                                 in[0].add_grad(gs::index_add(in[0].shape(), dim, index, g));
                               });
}

Variable gather(const Variable& a, int64_t dim, const Index& index) {
  ForwardTimer timer(Op::gather);
  return Variable::make_output(Op::gather, gs::gather(a.value(), dim, index), {a},
                               [dim, index](std::vector<Variable>& in, const Tensor& g) {
                                 in[0].add_grad(gs::scatter_add(in[0].shape(), dim, index, g));
                               });
}

}  // namespace gs::ag
