// Reductions: sum / mean / max over chosen dimensions, softmax along one dimension.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "tensor/ops.h"

namespace gs {

namespace {
struct Plan {
  Tensor rows;       // [outer, inner]: the reduced dimensions last, contiguous
  Shape out_shape;   // with or without the kept size-1 dimensions
};

// Moves the reduced dimensions to the end so that each output element reduces one dense row.
Plan plan_reduction(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim, const char* op) {
  std::vector<bool> reduce(a.dim(), dims.empty());
  for (int64_t d : dims) {
    const int64_t nd = normalize_dim(d, a.dim(), op);
    if (reduce[nd] && !dims.empty())
      throw std::invalid_argument(std::string(op) + ": dimension " + std::to_string(d) + " listed twice");
    reduce[nd] = true;
  }
  std::vector<int64_t> order;
  Shape out_shape;
  int64_t outer = 1;
  for (int64_t d = 0; d < a.dim(); ++d)
    if (!reduce[d]) {
      order.push_back(d);
      out_shape.push_back(a.shape()[d]);
      outer *= a.shape()[d];
    } else if (keepdim) {
      out_shape.push_back(1);
    }
  for (int64_t d = 0; d < a.dim(); ++d)
    if (reduce[d]) order.push_back(d);
  Tensor rows = a.permute(order).contiguous();
  const int64_t inner = outer == 0 ? 0 : a.numel() / std::max<int64_t>(outer, 1);
  return {rows.view({outer, inner}), out_shape};
}

template <class F>
Tensor reduce_rows(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim, const char* op, F f) {
  Plan plan = plan_reduction(a, dims, keepdim, op);
  const int64_t outer = plan.rows.size(0), inner = plan.rows.size(1);
  Tensor out = Tensor::empty(plan.out_shape);
  const float* p = plan.rows.data();
  float* o = out.data();
#pragma omp parallel for if (outer * inner > (1 << 15)) schedule(static)
  for (int64_t r = 0; r < outer; ++r) o[r] = f(p + r * inner, inner);
  return out;
}
}  // namespace

Tensor sum(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim) {
  // Accumulate in double: losses and statistics sum up to millions of values.
  return reduce_rows(a, dims, keepdim, "sum", [](const float* p, int64_t n) {
    double s = 0;
    for (int64_t i = 0; i < n; ++i) s += p[i];
    return static_cast<float>(s);
  });
}

Tensor mean(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim) {
  return reduce_rows(a, dims, keepdim, "mean", [](const float* p, int64_t n) {
    double s = 0;
    for (int64_t i = 0; i < n; ++i) s += p[i];
    return static_cast<float>(s / static_cast<double>(n));
  });
}

Tensor max(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim) {
  return reduce_rows(a, dims, keepdim, "max", [](const float* p, int64_t n) {
    float m = -std::numeric_limits<float>::infinity();
    for (int64_t i = 0; i < n; ++i) m = std::max(m, p[i]);
    return m;
  });
}

double sum_all(const Tensor& a) {
  Tensor x = a.contiguous();
  double s = 0;
  for (int64_t i = 0; i < x.numel(); ++i) s += x.data()[i];
  return s;
}

Tensor softmax(const Tensor& a, int64_t dim) {
  dim = normalize_dim(dim, a.dim(), "softmax");
  Tensor x = a.transpose(dim, -1).contiguous();
  const int64_t n = x.size(-1), rows = n ? x.numel() / n : 0;
  Tensor out = Tensor::empty(x.shape());
  const float* p = x.data();
  float* o = out.data();
#pragma omp parallel for if (x.numel() > (1 << 15)) schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = p + r * n;
    float* orow = o + r * n;
    // Subtracting the row maximum keeps exp() finite; the result is unchanged.
    const float m = *std::max_element(row, row + n);
    double s = 0;
    for (int64_t i = 0; i < n; ++i) s += (orow[i] = std::exp(row[i] - m));
    const float inv = static_cast<float>(1.0 / s);
    for (int64_t i = 0; i < n; ++i) orow[i] *= inv;
  }
  return out.transpose(dim, -1).contiguous();
}

}  // namespace gs
