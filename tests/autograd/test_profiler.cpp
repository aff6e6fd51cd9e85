#include "autograd/profiler.h"

#include <doctest/doctest.h>

#include "autograd/ops.h"
#include "nn/conv2d.h"

using gs::Tensor;
using gs::ag::Op;
using gs::ag::Variable;

TEST_CASE("profiler: counts each op kind's calls, times both passes, and a convolution's flops") {
  gs::Rng rng(1);
  Variable x(Tensor::randn({1, 2, 6, 6}, rng), false);
  Variable w(Tensor::randn({3, 2, 3, 3}, rng), true);
  gs::ag::Profile profile;
  {
    gs::ag::ProfileScope scope(profile);
    Variable loss = gs::ag::sum(gs::ag::relu(gs::ag::relu(gs::nn::conv2d(x, w))));
    loss.backward();
  }
  const gs::ag::OpStats& conv = profile.ops[static_cast<size_t>(Op::conv2d)];
  CHECK(conv.calls == 1);
  CHECK(profile.ops[static_cast<size_t>(Op::relu)].calls == 2);
  CHECK(profile.ops[static_cast<size_t>(Op::sum)].calls == 1);
  CHECK(profile.ops[static_cast<size_t>(Op::add)].calls == 0);
  CHECK(conv.forward_s > 0);
  CHECK(conv.backward_s > 0);
  // y [1,3,4,4], 2*3*3 multiply-adds per output: forward, plus the weight gradient (x needs none).
  CHECK(conv.flops == doctest::Approx(2.0 * 48 * 18 * 2));
  const std::string table = profile.table();
  CHECK(table.find("conv2d") != std::string::npos);
  // oneDNN ran one forward_training and one backward_weights primitive, and names its implementation.
  REQUIRE(profile.kernels.size() == 2);
  CHECK(profile.kernels.begin()->first.rfind("backward_weights ", 0) == 0);
  CHECK(profile.kernels.rbegin()->first.rfind("forward_training ", 0) == 0);
  CHECK(profile.kernels.rbegin()->first.size() > std::string("forward_training ").size());
  CHECK(table.find("oneDNN forward_training ") != std::string::npos);
  CHECK(table.find("relu                      2") != std::string::npos);

  // Outside a scope nothing is recorded.
  gs::nn::conv2d(x, w);
  CHECK(profile.ops[static_cast<size_t>(Op::conv2d)].calls == 1);
}
