// The one gradient checker every op test uses: analytic gradients from backward() against finite
// differences of the float32 forward.
//
// The checked scalar is L = sum(out * R) for a fixed random R (so every output element matters),
// accumulated in double. Derivatives use the 4-point stencil
//   f'(x) ~ (-f(x+2h) + 8 f(x+h) - 8 f(x-h) + f(x-2h)) / (12 h),
// whose truncation error is O(h^4). With h = 1e-2 on O(1) inputs that term is ~1e-8; the float32
// rounding of L (~6e-8 * sum|out*R|) divided by h dominates, ~1e-5 * sum|out*R|... for the small
// tensors the tests use (sum|out*R| < 50) that stays below 5e-4. Hence the defaults atol = 1e-3,
// rtol = 1e-2: an O(1) relative error -- a wrong or missing backward term -- still fails by orders of
// magnitude. Ops with kinks (relu, max-pool, clamps) need inputs at least 2h away from the kinks;
// piecewise-linear ops (convolution, padding, pooling, upsampling) then have no truncation error at
// all, and only the rounding term remains (seen: at most 1.3e-4 for a conv weight, which moves every
// output). An undefined input tensor (e.g. no bias) is passed to the op as an undefined Variable.
#pragma once
#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include <doctest/doctest.h>

#include "autograd/variable.h"
#include "tensor/ops.h"

namespace gs::test {

struct GradcheckOptions {
  float step = 1e-2f;
  double atol = 1e-3;
  double rtol = 1e-2;
  int64_t max_elements = 64;  // per input; larger inputs are checked at evenly spread positions
  uint64_t seed = 1234;
  bool assert_each = true;  // false: only return the worst error (to test the checker itself)
};

using TestFn = std::function<ag::Variable(const std::vector<ag::Variable>&)>;

inline double weighted_sum(const Tensor& out, const Tensor& r) {
  Tensor o = out.contiguous();
  double s = 0;
  for (int64_t i = 0; i < o.numel(); ++i) s += double(o.data()[i]) * r.data()[i];
  return s;
}

// Checks d L / d inputs[i] for every i in `check` (all defined inputs when empty). Returns the worst
// |analytic - numeric| as a fraction of its tolerance: above 1 is a failure.
inline double check_gradients(const TestFn& f, const std::vector<Tensor>& inputs, std::vector<int> check = {},
                              GradcheckOptions opt = {}) {
  if (check.empty())
    for (int i = 0; i < static_cast<int>(inputs.size()); ++i)
      if (inputs[i].defined()) check.push_back(i);
  auto variable = [](const Tensor& t, bool grad) { return t.defined() ? ag::Variable(t.clone(), grad) : ag::Variable(); };
  std::vector<ag::Variable> vars;
  for (size_t i = 0; i < inputs.size(); ++i) {
    bool wanted = std::find(check.begin(), check.end(), static_cast<int>(i)) != check.end();
    vars.push_back(variable(inputs[i], wanted));
  }
  ag::Variable out = f(vars);
  Rng rng(opt.seed);
  const Tensor r = Tensor::randn(out.shape(), rng);
  out.backward(r);

  double worst = 0;
  for (int i : check) {
    const Tensor analytic = vars[i].grad().contiguous();
    const int64_t n = inputs[i].numel();
    const int64_t stride = std::max<int64_t>(1, n / opt.max_elements);
    for (int64_t e = 0; e < n; e += stride) {
      auto loss_at = [&](float delta) {
        std::vector<ag::Variable> shifted;
        for (size_t j = 0; j < inputs.size(); ++j) {
          shifted.push_back(variable(inputs[j], false));
          if (static_cast<int>(j) == i) shifted.back().value().data()[e] += delta;
        }
        return weighted_sum(f(shifted).value(), r);
      };
      const double h = opt.step;
      const double numeric =
          (-loss_at(2 * h) + 8 * loss_at(h) - 8 * loss_at(-h) + loss_at(-2 * h)) / (12 * h);
      const double a = analytic.data()[e];
      INFO("input " << i << " element " << e << ": analytic " << a << ", numeric " << numeric);
      if (opt.assert_each) CHECK(std::fabs(a - numeric) <= opt.atol + opt.rtol * std::fabs(numeric));
      worst = std::max(worst, std::fabs(a - numeric) / (opt.atol + opt.rtol * std::fabs(numeric)));
    }
  }
  return worst;
}

}  // namespace gs::test
