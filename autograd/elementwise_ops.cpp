// Elementwise ops: forward and backward together.
#include <cmath>

#include "autograd/ops.h"
#include "autograd/profiler.h"

namespace gs::ag {

Variable add(const Variable& a, const Variable& b) {
  ForwardTimer timer(Op::add);
  return Variable::make_output(Op::add, gs::add(a.value(), b.value()), {a, b}, [](std::vector<Variable>& in, const Tensor& g) {
    if (in[0].requires_grad()) in[0].add_grad(sum_to(g, in[0].shape()));
    if (in[1].requires_grad()) in[1].add_grad(sum_to(g, in[1].shape()));
  });
}

Variable sub(const Variable& a, const Variable& b) {
  ForwardTimer timer(Op::sub);
  return Variable::make_output(Op::sub, gs::sub(a.value(), b.value()), {a, b}, [](std::vector<Variable>& in, const Tensor& g) {
    if (in[0].requires_grad()) in[0].add_grad(sum_to(g, in[0].shape()));
    if (in[1].requires_grad()) in[1].add_grad(sum_to(gs::neg(g), in[1].shape()));
  });
}

Variable mul(const Variable& a, const Variable& b) {
  ForwardTimer timer(Op::mul);
  return Variable::make_output(Op::mul, gs::mul(a.value(), b.value()), {a, b}, [](std::vector<Variable>& in, const Tensor& g) {
    if (in[0].requires_grad()) in[0].add_grad(sum_to(gs::mul(g, in[1].value()), in[0].shape()));
    if (in[1].requires_grad()) in[1].add_grad(sum_to(gs::mul(g, in[0].value()), in[1].shape()));
  });
}

Variable div(const Variable& a, const Variable& b) {
  ForwardTimer timer(Op::div);
  return Variable::make_output(Op::div, gs::div(a.value(), b.value()), {a, b}, [](std::vector<Variable>& in, const Tensor& g) {
    const Tensor& x = in[0].value();
    const Tensor& y = in[1].value();
    if (in[0].requires_grad()) in[0].add_grad(sum_to(gs::div(g, y), in[0].shape()));
    // d(x/y)/dy = -x / y^2
    if (in[1].requires_grad())
      in[1].add_grad(sum_to(gs::neg(gs::div(gs::mul(g, x), gs::mul(y, y))), in[1].shape()));
  });
}

Variable neg(const Variable& a) {
  ForwardTimer timer(Op::neg);
  return Variable::make_output(Op::neg, gs::neg(a.value()), {a}, [](std::vector<Variable>& in, const Tensor& g) {
    in[0].add_grad(gs::neg(g));
  });
}

Variable add_scalar(const Variable& a, float s) {
  ForwardTimer timer(Op::add_scalar);
  return Variable::make_output(Op::add_scalar, gs::add_scalar(a.value(), s), {a},
                               [](std::vector<Variable>& in, const Tensor& g) { in[0].add_grad(g); });
}

Variable mul_scalar(const Variable& a, float s) {
  ForwardTimer timer(Op::mul_scalar);
  return Variable::make_output(Op::mul_scalar, gs::mul_scalar(a.value(), s), {a}, [s](std::vector<Variable>& in, const Tensor& g) {
    in[0].add_grad(gs::mul_scalar(g, s));
  });
}

Variable exp(const Variable& a) {
  ForwardTimer timer(Op::exp);
  Tensor y = gs::exp(a.value());
  return Variable::make_output(Op::exp, y, {a}, [y](std::vector<Variable>& in, const Tensor& g) {
    in[0].add_grad(gs::mul(g, y));
  });
}

Variable log(const Variable& a) {
  ForwardTimer timer(Op::log);
  return Variable::make_output(Op::log, gs::log(a.value()), {a}, [](std::vector<Variable>& in, const Tensor& g) {
    in[0].add_grad(gs::div(g, in[0].value()));
  });
}

Variable sqrt(const Variable& a) {
  ForwardTimer timer(Op::sqrt);
  Tensor y = gs::sqrt(a.value());
  return Variable::make_output(Op::sqrt, y, {a}, [y](std::vector<Variable>& in, const Tensor& g) {
    in[0].add_grad(gs::div(gs::mul_scalar(g, 0.5f), y));
  });
}

Variable pow(const Variable& a, float e) {
  ForwardTimer timer(Op::pow);
  return Variable::make_output(Op::pow, gs::pow(a.value(), e), {a}, [e](std::vector<Variable>& in, const Tensor& g) {
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
  ForwardTimer timer(Op::relu);
  return Variable::make_output(Op::relu, gs::relu(a.value()), {a}, [](std::vector<Variable>& in, const Tensor& g) {
    in[0].add_grad(times_derivative(g, in[0].value(), [](float x) { return x > 0.f ? 1.f : 0.f; }));
  });
}

Variable leaky_relu(const Variable& a, float slope) {
  ForwardTimer timer(Op::leaky_relu);
  return Variable::make_output(Op::leaky_relu, gs::leaky_relu(a.value(), slope), {a},
                               [slope](std::vector<Variable>& in, const Tensor& g) {
                                 in[0].add_grad(times_derivative(g, in[0].value(), [slope](float x) {
                                   return x > 0.f ? 1.f : slope;
                                 }));
                               });
}

Variable sigmoid(const Variable& a) {
  ForwardTimer timer(Op::sigmoid);
  Tensor y = gs::sigmoid(a.value());
  return Variable::make_output(Op::sigmoid, y, {a}, [y](std::vector<Variable>& in, const Tensor& g) {
    in[0].add_grad(times_derivative(g, y, [](float s) { return s * (1.f - s); }));
  });
}

}  // namespace gs::ag
