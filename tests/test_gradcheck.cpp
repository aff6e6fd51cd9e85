// The gradient checker itself must be able to fail: a backward with a wrong factor is caught.
#include <doctest/doctest.h>

#include "autograd/ops.h"
#include "gradcheck.h"

using gs::Tensor;
using gs::ag::Variable;

namespace {
// x -> 3x, but its backward claims 2.9: off by 3%, just outside rtol = 1e-2.
Variable wrong_triple(const Variable& x) {
  return Variable::make_output(gs::mul_scalar(x.value(), 3.f), {x}, [](std::vector<Variable>& in, const Tensor& g) {
    in[0].add_grad(gs::mul_scalar(g, 2.9f));
  });
}
}  // namespace

TEST_CASE("gradcheck: detects a backward that is 3% off" * doctest::should_fail()) {
  gs::Rng rng(1);
  gs::test::check_gradients([](const std::vector<Variable>& v) { return wrong_triple(v[0]); },
                            {Tensor::randn({4}, rng)});
}
