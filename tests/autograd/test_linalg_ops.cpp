#include <doctest/doctest.h>

#include "autograd/ops.h"
#include "gradcheck.h"

using gs::Rng;
using gs::Tensor;
using gs::ag::Variable;
using V = std::vector<Variable>;
namespace ag = gs::ag;

TEST_CASE("ag linalg: matmul and bmm gradients") {
  Rng rng(8);
  gs::test::check_gradients([](const V& v) { return ag::matmul(v[0], v[1]); },
                            {Tensor::randn({3, 4}, rng), Tensor::randn({4, 5}, rng)});
  gs::test::check_gradients([](const V& v) { return ag::bmm(v[0], v[1]); },
                            {Tensor::randn({2, 3, 4}, rng), Tensor::randn({2, 4, 2}, rng)});
}

TEST_CASE("tensor linalg: values, transposition flags, large products split over threads") {
  Tensor a({2, 3}, {1, 2, 3, 4, 5, 6}), b({3, 2}, {1, 0, 0, 1, 1, 1});
  CHECK(gs::matmul(a, b).to_vector() == std::vector<float>{4, 5, 10, 11});
  CHECK(gs::matmul(a, a, false, true).to_vector() == std::vector<float>{14, 32, 32, 77});
  CHECK(gs::matmul(a, a, true, false).shape() == gs::Shape{3, 3});
  CHECK(gs::matmul(a.transpose(0, 1), b.transpose(0, 1)).shape() == gs::Shape{3, 3});
  CHECK_THROWS_WITH_AS(gs::matmul(a, a), doctest::Contains("[2, 3]"), std::invalid_argument);
  // Big enough to take the multi-threaded path; compared with a double-precision loop.
  Rng rng(9);
  Tensor x = Tensor::randn({67, 50}, rng), y = Tensor::randn({50, 33}, rng);
  Tensor z = gs::matmul(x, y);
  for (int64_t i = 0; i < 67; i += 11)
    for (int64_t j = 0; j < 33; j += 7) {
      double s = 0;
      for (int64_t k = 0; k < 50; ++k) s += double(x.at({i, k})) * y.at({k, j});
      CHECK(z.at({i, j}) == doctest::Approx(s).epsilon(1e-5));
    }
  Tensor bx = Tensor::randn({3, 20, 10}, rng), by = Tensor::randn({3, 20, 5}, rng);
  Tensor bz = gs::bmm(bx, by, true, false);
  CHECK(bz.shape() == gs::Shape{3, 10, 5});
  CHECK(gs::max_abs_diff(bz.select(0, 2), gs::matmul(bx.select(0, 2), by.select(0, 2), true, false)) < 1e-5f);
}
