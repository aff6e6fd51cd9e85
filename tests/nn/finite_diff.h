// Central-difference gradient check for autograd ops.
//
// The scalar is L = sum(f(inputs) * R) for a fixed random R (so every output element matters with
// its own weight), accumulated in double. Each input element x that requires grad is moved to the
// float32 values float(x + h) and float(x - h) and dL/dx is estimated as (L+ - L-) / (actual distance).
//
// Step and tolerance. The ops checked here (convolution, padding, pooling, upsampling) are
// piecewise linear in each input, so the central difference has no truncation error as long as the
// step does not cross a kink (the pool test keeps the values of a window at least 2h apart, so no tie
// is crossed). What is left is float32 rounding of the outputs the perturbed input touches: about
// 6e-8 |y| each, adding up like sqrt(count), divided by 2h. With h = 1e-2 that is ~1e-7 for an
// image input of a pad or pool, and up to ~1e-4 for a conv weight, which moves every output (seen:
// 1.3e-4). So |numeric - analytic| <= 1e-3 + 1e-3 |analytic| leaves a margin of about 8, while a
// wrong gradient (a missing term, a wrong index) is off by O(|R| |w|) ~ 0.1..1 and fails.
#pragma once
#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "autograd/variable.h"
#include "tensor/tensor.h"

namespace gs::test {

struct FiniteDiffOptions {
  double step = 1e-2;
  double atol = 1e-3;
  double rtol = 1e-3;
  uint64_t seed = 1234;
};

using VariableFn = std::function<ag::Variable(const std::vector<ag::Variable>&)>;

inline double weighted_sum(const Tensor& y, const Tensor& r) {
  std::vector<float> a = y.to_vector(), b = r.to_vector();
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * static_cast<double>(b[i]);
  return s;
}

// Checks d sum(f(inputs) * R) / d inputs[i] for every i with wrt[i] (undefined inputs are passed
// through as such, e.g. a missing bias). Returns the largest |numeric - analytic| seen.
inline double check_gradients(const VariableFn& f, const std::vector<Tensor>& inputs, const std::vector<bool>& wrt,
                              FiniteDiffOptions opt = {}) {
  auto make_vars = [&](const std::vector<Tensor>& values, bool with_grad) {
    std::vector<ag::Variable> vars;
    for (size_t i = 0; i < values.size(); ++i)
      vars.push_back(values[i].defined() ? ag::Variable(values[i], with_grad && wrt[i]) : ag::Variable());
    return vars;
  };

  // Analytic gradients.
  std::vector<ag::Variable> vars = make_vars(inputs, true);
  ag::Variable out = f(vars);
  Rng rng(opt.seed);
  Tensor r = Tensor::randn(out.shape(), rng);
  out.backward(r);

  // Numeric gradients, one element at a time.
  double worst = 0;
  int64_t checked = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!wrt[i]) continue;
    const Tensor analytic = vars[i].grad();
    for (int64_t k = 0; k < inputs[i].numel(); ++k) {
      std::vector<Tensor> values;
      for (const Tensor& t : inputs) values.push_back(t.defined() ? t.clone() : Tensor());
      float* x = values[i].data() + k;
      const float x0 = *x;
      const float up = static_cast<float>(x0 + opt.step), down = static_cast<float>(x0 - opt.step);
      ag::NoGradGuard no_grad;
      *x = up;
      const double l_up = weighted_sum(f(make_vars(values, false)).value(), r);
      *x = down;
      const double l_down = weighted_sum(f(make_vars(values, false)).value(), r);
      const double numeric = (l_up - l_down) / (static_cast<double>(up) - static_cast<double>(down));
      const double a = analytic.data()[k];
      const double err = std::abs(numeric - a);
      worst = std::max(worst, err);
      ++checked;
      if (err > opt.atol + opt.rtol * std::abs(a)) {
        FAIL_CHECK("input " << i << " element " << k << ": numeric " << numeric << " vs analytic " << a);
        return worst;  // one report per input set is enough
      }
    }
  }
  CHECK_MESSAGE(checked > 0, "no input of the gradient check requires grad");
  return worst;
}

}  // namespace gs::test
