// The malloc settings of tensor/allocator.h (tests/main.cpp applies them to the whole suite).
#include <doctest/doctest.h>

#include "tensor/allocator.h"
#include "tensor/ops.h"

TEST_CASE("allocator: glibc accepts the settings; large tensors allocated and freed in turn keep their values") {
  CHECK(gs::configure_allocator());
  // 64 MB tensors now come from the heap, where a freed one is handed out again.
  for (int round = 0; round < 3; ++round) {
    gs::Tensor a = gs::Tensor::full({16 << 20}, static_cast<float>(round));
    gs::Tensor b = gs::Tensor::empty({16 << 20});
    b.fill_(1.f);
    CHECK(gs::sum_all(a) == doctest::Approx(double(round) * (16 << 20)));
    CHECK(gs::sum_all(b) == doctest::Approx(double(16 << 20)));
    CHECK(reinterpret_cast<uintptr_t>(a.data()) % 64 == 0);  // the 64-byte alignment still holds
  }
}

TEST_CASE("allocator: returning free heap memory to the kernel leaves live tensors intact") {
  gs::Tensor keep = gs::Tensor::full({1 << 20}, 3.f);
  { gs::Tensor gone = gs::Tensor::full({8 << 20}, 1.f); }
  gs::release_free_memory();
  CHECK(gs::sum_all(keep) == doctest::Approx(3.0 * (1 << 20)));
  gs::Tensor again = gs::Tensor::full({8 << 20}, 2.f);  // the heap serves new blocks as before
  CHECK(gs::sum_all(again) == doctest::Approx(2.0 * (8 << 20)));
}
