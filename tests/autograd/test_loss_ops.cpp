#include <doctest/doctest.h>

#include "autograd/ops.h"
#include "gradcheck.h"

using gs::Rng;
using gs::Tensor;
using gs::ag::Variable;
using V = std::vector<Variable>;
namespace ag = gs::ag;

TEST_CASE("ag loss: mse_loss value and gradient to both sides") {
  Rng rng(10);
  gs::test::check_gradients([](const V& v) { return ag::mse_loss(v[0], v[1]); },
                            {Tensor::randn({2, 3, 4}, rng), Tensor::randn({2, 3, 4}, rng)});
  Variable a(Tensor({2}, {1, 3})), b(Tensor({2}, {0, 0}));
  CHECK(ag::mse_loss(a, b).value().item() == 5.f);
  CHECK_THROWS_WITH_AS(ag::mse_loss(a, Variable(Tensor({3}))), doctest::Contains("[3]"), std::invalid_argument);
}
