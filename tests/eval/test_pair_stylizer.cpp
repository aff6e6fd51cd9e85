#include "eval/pair_stylizer.h"

#include <doctest/doctest.h>

#include "train/tiny_training.h"

using namespace gs;

namespace {
void check_equal(const Tensor& a, const Tensor& b) {
  REQUIRE(a.shape() == b.shape());
  const Tensor x = a.contiguous(), y = b.contiguous();
  int64_t differ = 0;
  for (int64_t i = 0; i < x.numel(); ++i) differ += x.data()[i] != y.data()[i];
  CHECK(differ == 0);
}
}  // namespace

TEST_CASE("PairStylizer: the same images as Stylizer, from features encoded once") {
  const models::Stylizer model = test::tiny_model(4);
  Rng rng(5);
  const Tensor content = Tensor::uniform({1, 3, 44, 52}, rng, 0.f, 1.f);  // not multiples of 8: cropped
  const Tensor style = Tensor::uniform({1, 3, 48, 40}, rng, 0.f, 1.f);
  const eval::PairStylizer pairs(model);
  const Tensor fc = pairs.encode(content), fs = pairs.encode(style);
  check_equal(pairs.adain(fc, fs, 0.7f, 44, 52), model.stylize_adain(content, style, 0.7f));
  models::GraphOptions g;
  g.p = 3;
  g.k = 3;
  g.kc = 2;
  g.alpha = 0.8f;
  check_equal(pairs.gnn(fc, fs, g, 44, 52), model.stylize_gnn(content, style, g));
}
