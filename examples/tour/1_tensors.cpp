// Tour step 1: tensors and views. A Tensor is a shape, strides and an offset into shared storage;
// a view (transpose, slice, select) changes only those three numbers, never the floats.
// Read tensor/tensor.h, then tensor/tensor.cpp (view, permute, contiguous), then tensor/elementwise.cpp.
#include <cstdio>
#include <string>

#include "tensor/ops.h"
#include "tensor/tensor.h"

using gs::Tensor;

static std::string strides(const Tensor& t) { return gs::shape_str(t.strides()); }

int main() {
  // 2 rows of 3, row-major: element (i, j) lives at i*3 + j.
  Tensor a({2, 3}, {0, 1, 2, 3, 4, 5});
  std::printf("a  %s strides %s\n", a.str().c_str(), strides(a).c_str());

  // The transpose swaps the strides: no copy, the same storage, no longer contiguous.
  Tensor t = a.transpose(0, 1);
  std::printf("aT %s strides %s contiguous %d shares storage %d\n", t.str().c_str(), strides(t).c_str(),
              t.is_contiguous(), t.shares_storage_with(a));

  // A slice moves the offset; writing through the view writes into a.
  Tensor col = a.slice(1, 1, 2);  // column 1, shape [2, 1]
  col.fill_(9.f);
  std::printf("after writing 9 into column 1: a %s\n", a.str().c_str());

  // contiguous() copies only when the layout asks for it.
  Tensor dense = t.contiguous();
  std::printf("aT.contiguous() strides %s shares storage %d\n", strides(dense).c_str(), dense.shares_storage_with(a));

  // Broadcasting: [2, 3] + [3] adds the row to every row; [2, 1] * [1, 3] is an outer product.
  Tensor row({3}, {10, 20, 30});
  Tensor sum = gs::add(a, row);
  Tensor outer = gs::mul(Tensor({2, 1}, {1, 2}), Tensor({1, 3}, {1, 10, 100}));
  std::printf("a + row %s\nouter %s\n", sum.str().c_str(), outer.str().c_str());

  // Reductions name the dimensions they remove.
  std::printf("sum over rows %s\n", gs::sum(a, {0}).str().c_str());
  const bool ok = t.at({2, 1}) == 5.f && a.at({1, 1}) == 9.f && outer.at({1, 2}) == 200.f &&
                  gs::sum(a, {0}).at({1}) == 18.f && !t.is_contiguous() && dense.is_contiguous();
  std::printf("%s\n", ok ? "tour 1: OK" : "tour 1: FAILED");
  return ok ? 0 : 1;
}
