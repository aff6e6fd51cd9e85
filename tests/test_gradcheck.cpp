// The gradient checker itself must be able to fail: a backward with a wrong factor is caught.
#include <doctest/doctest.h>

#include "autograd/ops.h"
#include "gradcheck.h"

using gs::Tensor;
using gs::ag::Variable;

namespace {
// x -> 3x, but its backward claims 2.9: off by 3%, just outside rtol = 1e-2.
Variable wrong_triple(const Variable& x) {
  return Variable::make_output(gs::ag::Op::mul_scalar, gs::mul_scalar(x.value(), 3.f), {x}, [](std::vector<Variable>& in, const Tensor& g) {
    in[0].add_grad(gs::mul_scalar(g, 2.9f));
  });
}
}  // namespace

TEST_CASE("gradcheck: detects a backward that is 3% off") {
  gs::Rng rng(1);
  gs::test::GradcheckOptions report_only;
  report_only.assert_each = false;
  const auto f = [](const std::vector<Variable>& v) { return wrong_triple(v[0]); };
  // Worst error as a fraction of the tolerance every op test applies: above 1 means rejected.
  CHECK(gs::test::check_gradients(f, {Tensor::randn({4}, rng)}, {}, report_only) > 1.0);
  // The true op passes the same checker with a wide margin.
  const auto right = [](const std::vector<Variable>& v) { return gs::ag::mul_scalar(v[0], 3.f); };
  CHECK(gs::test::check_gradients(right, {Tensor::randn({4}, rng)}, {}, report_only) < 0.1);
}
