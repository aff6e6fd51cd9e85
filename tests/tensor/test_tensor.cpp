#include "tensor/tensor.h"

#include <doctest/doctest.h>

#include "shared_path.h"

using gs::Tensor;

TEST_CASE("tensor: construction, shape and element access") {
  Tensor t({2, 3}, {1, 2, 3, 4, 5, 6});
  CHECK(t.dim() == 2);
  CHECK(t.numel() == 6);
  CHECK(t.size(-1) == 3);
  CHECK(t.at({1, 2}) == 6);
  CHECK(t.is_contiguous());
  CHECK_THROWS_WITH_AS(Tensor({2, 2}, {1, 2, 3}), doctest::Contains("[2, 2]"), std::invalid_argument);
  CHECK_THROWS_AS(t.at({2, 0}), std::out_of_range);
  CHECK(Tensor::scalar(3.f).item() == 3.f);
  CHECK(Tensor::zeros({0, 4}).numel() == 0);
}

TEST_CASE("tensor: views share storage") {
  Tensor t({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor v = t.view({3, 2});
  CHECK(v.shares_storage_with(t));
  v.set({0, 1}, 20);
  CHECK(t.at({0, 1}) == 20);
  CHECK(t.view({-1}).size(0) == 6);
  CHECK_THROWS_WITH_AS(t.view({4, 2}), doctest::Contains("[4, 2]"), std::invalid_argument);
}

TEST_CASE("tensor: permute, transpose and contiguous copies") {
  Tensor t({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor tt = t.transpose(0, 1);
  CHECK_FALSE(tt.is_contiguous());
  CHECK(tt.shares_storage_with(t));
  CHECK(tt.at({2, 1}) == 6);
  CHECK(tt.to_vector() == std::vector<float>{1, 4, 2, 5, 3, 6});
  Tensor c = tt.contiguous();
  CHECK(c.is_contiguous());
  CHECK_FALSE(c.shares_storage_with(t));
  CHECK(c.to_vector() == std::vector<float>{1, 4, 2, 5, 3, 6});
  CHECK_THROWS_AS(tt.view({6}), std::invalid_argument);
  CHECK(tt.reshape({6}).to_vector() == std::vector<float>{1, 4, 2, 5, 3, 6});
  Tensor p = Tensor({2, 3, 4}, std::vector<float>(24, 0)).permute({2, 0, 1});
  CHECK(p.shape() == gs::Shape{4, 2, 3});
  CHECK_THROWS_AS(t.permute({0, 0}), std::invalid_argument);
}

TEST_CASE("tensor: slicing, select, fill") {
  Tensor t({3, 4});
  for (int64_t i = 0; i < 12; ++i) t.data()[i] = float(i);
  Tensor s = t.slice(1, 1, 3);
  CHECK(s.shape() == gs::Shape{3, 2});
  CHECK(s.to_vector() == std::vector<float>{1, 2, 5, 6, 9, 10});
  s.fill_(-1);
  CHECK(t.at({1, 1}) == -1);
  CHECK(t.at({1, 3}) == 7);
  CHECK(t.select(0, 2).to_vector() == std::vector<float>{8, -1, -1, 11});
  CHECK(t.unsqueeze(0).shape() == gs::Shape{1, 3, 4});
  CHECK_THROWS_AS(t.slice(0, 2, 5), std::out_of_range);
}

TEST_CASE("tensor: seeded random draws repeat") {
  gs::Rng a(7), b(7);
  CHECK(Tensor::randn({5}, a).to_vector() == Tensor::randn({5}, b).to_vector());
  Tensor u = Tensor::uniform({1000}, a, -1, 1);
  for (float v : u.to_vector()) CHECK((v >= -1 && v < 1));
}
