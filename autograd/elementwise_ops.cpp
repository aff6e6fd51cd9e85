// Elementwise ops: forward and backward together.
#include <cmath>

#include "autograd/ops.h"

namespace gs::ag {

Variable add(const Variable& a, const Variable& b) {
  return Variable::make_output(gs::add(a.value(), b.value()), {a, b}, [](std::vector<Variable>& in, const Tensor& g) {
    if (in[0].requires_grad()) in[0].add_grad(sum_to(g, in[0].shape()));
    if (in[1].requires_grad()) in[1].add_grad(sum_to(g, in[1].shape()));
  });
}

Variable sub(const Variable& a, const Variable& b) {
  return Variable::make_output(gs::sub(a.value(), b.value()), {a, b}, [](std::vector<Variable>& in, const Tensor& g) {
    if (in[0].requires_grad()) in[0].add_grad(sum_to(g, in[0].shape()));
    if (in[1].requires_grad()) in[1].add_grad(sum_to(gs::neg(g), in[1].shape()));
  });
}

Variable mul(const Variable& a, const Variable& b) {
  return Variable::make_output(gs::mul(a.value(), b.value()), {a, b}, [](std::vector<Variable>& in, const Tensor& g) {
    if (in[0].requires_grad()) in[0].add_grad(sum_to(gs::mul(g, in[1].value()), in[0].shape()));
    if (in[1].requires_grad()) in[1].add_grad(sum_to(gs::mul(g, in[0].value()), in[1].shape()));
  });
}

Variable div(const Variable& a, const Variable& b) {
  return Variable::make_output(gs::div(a.value(), b.value()), {a, b}, [](std::vector<Variable>& in, const Tensor& g) {
    const Tensor& x = in[0].value();
    const Tensor& y = in[1].value();
    if (in[0].requires_grad()) in[0].add_grad(sum_to(gs::div(g, y), in[0].shape()));
    // d(x/y)/dy = -x / y^2
    if (in[1].requires_grad())
      in[1].add_grad(sum_to(gs::neg(gs::div(gs::mul(g, x), gs::mul(y, y))), in[1].shape()));
  });
}

Variable neg(const Variable& a) {
  return Variable::make_output(gs::neg(a.value()), {a}, [](std::vector<Variable>& in, const Tensor& g) {
    in[0].add_grad(gs::neg(g));
  });
}

Variable add_scalar(const Variable& a, float s) {
  return Variable::make_output(gs::add_scalar(a.value(), s), {a},
                               [](std::vector<Variable>& in, const Tensor& g) { in[0].add_grad(g); });
}

Variable mul_scalar(const Variable& a, float s) {
  return Variable::make_output(gs::mul_scalar(a.value(), s), {a}, [s](std::vector<Variable>& in, const Tensor& g) {
    in[0].add_grad(gs::mul_scalar(g, s));
  });
}

Variable exp(const Variable& a) {
  Tensor y = gs::exp(a.value());
  return Variable::make_output(y, {a}, [y](std::vector<Variable>& in, const Tensor& g) {
    in[0].add_grad(gs::mul(g, y));
  });
}

Variable log(const Variable& a) {
  return Variable::make_output(gs::log(a.value()), {a}, [](std::vector<Variable>& in, const Tensor& g) {
    in[0].add_grad(gs::div(g, in[0].value()));
  });
}

Variable sqrt(const Variable& a) {
  Tensor y = gs::sqrt(a.value());
  return Variable::make_output(y, {a}, [y](std::vector<Variable>& in, const Tensor& g) {
    in[0].add_grad(gs::div(gs::mul_scalar(g, 0.5f), y));
  });
}

Variable pow(const Variable& a, float e) {
  return Variable::make_output(gs::pow(a.value(), e), {a}, [e](std::vector<Variable>& in, const Tensor& g) {
    in[0].add_grad(gs::mul(g, gs::mul_scalar(gs::pow(in[0].value(), e - 1.f), e)));
  });
}

namespace {
// g * f'(x) for a derivative that depends only on x.
template <class D>
Tensor times_derivative(const Tensor& g, const Tensor& x, D d) {
  Tensor gc = g.contiguous(), xc = x.contiguous();
  Tensor out = Tensor::empty(x.shape());
  const int64_t n = out.numel();
#pragma omp parallel for simd if (n > (1 << 15))
  for (int64_t i = 0; i < n; ++i) out.data()[i] = gc.data()[i] * d(xc.data()[i]);
  return out;
}
}  // namespace

Variable relu(const Variable& a) {
  return Variable::make_output(gs::relu(a.value()), {a}, [](std::vector<Variable>& in, const Tensor& g) {
    in[0].add_grad(times_derivative(g, in[0].value(), [](float x) { return x > 0.f ? 1.f : 0.f; }));
  });
}

Variable leaky_relu(const Variable& a, float slope) {
  return Variable::make_output(gs::leaky_relu(a.value(), slope), {a},
                               [slope](std::vector<Variable>& in, const Tensor& g) {
                                 in[0].add_grad(times_derivative(g, in[0].value(), [slope](float x) {
                                   return x > 0.f ? 1.f : slope;
                                 }));
                               });
}

Variable sigmoid(const Variable& a) {
  Tensor y = gs::sigmoid(a.value());
  return Variable::make_output(y, {a}, [y](std::vector<Variable>& in, const Tensor& g) {
    in[0].add_grad(times_derivative(g, y, [](float s) { return s * (1.f - s); }));
  });
}

}  // namespace gs::ag
