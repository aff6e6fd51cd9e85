// Elementwise kernels: broadcasting binary ops, unary maps, in-place updates.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "tensor/ops.h"

namespace gs {

namespace {
// Below this many elements a parallel region costs more than it saves.
constexpr int64_t kParallelGrain = 1 << 15;

template <class F>
Tensor unary(const Tensor& a, F f) {
  Tensor x = a.contiguous();
  Tensor out = Tensor::empty(x.shape());
  const float* p = x.data();
  float* o = out.data();
  const int64_t n = x.numel();
#pragma omp parallel for simd if (n > kParallelGrain) schedule(static)
  for (int64_t i = 0; i < n; ++i) o[i] = f(p[i]);
  return out;
}

// Strides of `t` seen through the broadcast shape `out`: 0 along stretched or missing dimensions.
Shape broadcast_strides(const Tensor& t, const Shape& out) {
  Shape s(out.size(), 0);
  const int64_t lead = static_cast<int64_t>(out.size()) - t.dim();
  for (int64_t d = 0; d < t.dim(); ++d) s[lead + d] = t.shape()[d] == 1 ? 0 : t.strides()[d];
  return s;
}

template <class F>
Tensor binary(const Tensor& a, const Tensor& b, const char* name, F f) {
  const Shape out_shape = broadcast_shapes(a.shape(), b.shape(), name);
  Tensor out = Tensor::empty(out_shape);
  float* o = out.data();
  const int64_t n = out.numel();
  if (a.shape() == b.shape() && a.is_contiguous() && b.is_contiguous()) {
    const float* pa = a.data();
    const float* pb = b.data();
#pragma omp parallel for simd if (n > kParallelGrain) schedule(static)
    for (int64_t i = 0; i < n; ++i) o[i] = f(pa[i], pb[i]);
    return out;
  }
  if (n == 0) return out;
  // General case: walk the output row by row (last dimension innermost) with per-operand strides.
  const int64_t nd = static_cast<int64_t>(out_shape.size());
  if (nd == 0) {
    o[0] = f(a.data()[0], b.data()[0]);
    return out;
  }
  const Shape sa = broadcast_strides(a, out_shape), sb = broadcast_strides(b, out_shape);
  const int64_t inner = out_shape[nd - 1], rows = n / inner;
  const float* base_a = a.data();
  const float* base_b = b.data();
#pragma omp parallel for if (n > kParallelGrain) schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
    int64_t oa = 0, ob = 0, rem = r;
    for (int64_t d = nd - 2; d >= 0; --d) {
      const int64_t i = rem % out_shape[d];
      rem /= out_shape[d];
      oa += i * sa[d];
      ob += i * sb[d];
    }
    const float* pa = base_a + oa;
    const float* pb = base_b + ob;
    float* po = o + r * inner;
    const int64_t ia = sa[nd - 1], ib = sb[nd - 1];
    for (int64_t i = 0; i < inner; ++i) po[i] = f(pa[i * ia], pb[i * ib]);
  }
  return out;
}

void check_same_shape(const Tensor& a, const Tensor& b, const char* op) {
  if (a.shape() != b.shape())
    throw std::invalid_argument(std::string(op) + ": shapes " + shape_str(a.shape()) + " and " +
                                shape_str(b.shape()) + " differ");
  if (!a.is_contiguous()) throw std::invalid_argument(std::string(op) + ": destination is not contiguous");
}
}  // namespace

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
  const size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (size_t i = 0; i < n; ++i) {
    const int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    const int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (da != db && da != 1 && db != 1)
      throw std::invalid_argument(std::string(op) + ": shapes " + shape_str(a) + " and " + shape_str(b) +
                                  " cannot be broadcast together");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

Tensor add(const Tensor& a, const Tensor& b) { return binary(a, b, "add", [](float x, float y) { return x + y; }); }
Tensor sub(const Tensor& a, const Tensor& b) { return binary(a, b, "sub", [](float x, float y) { return x - y; }); }
Tensor mul(const Tensor& a, const Tensor& b) { return binary(a, b, "mul", [](float x, float y) { return x * y; }); }
Tensor div(const Tensor& a, const Tensor& b) { return binary(a, b, "div", [](float x, float y) { return x / y; }); }

Tensor sum_to(const Tensor& g, const Shape& shape) {
  if (g.shape() == shape) return g;
  const int64_t lead = g.dim() - static_cast<int64_t>(shape.size());
  if (lead < 0)
    throw std::invalid_argument("sum_to: cannot reduce " + shape_str(g.shape()) + " to " + shape_str(shape));
  std::vector<int64_t> dims;
  for (int64_t d = 0; d < g.dim(); ++d)
    if (d < lead || (shape[d - lead] == 1 && g.shape()[d] != 1)) dims.push_back(d);
  return sum(g, dims, true).reshape(shape);
}

Tensor add_scalar(const Tensor& a, float s) { return unary(a, [s](float x) { return x + s; }); }
Tensor mul_scalar(const Tensor& a, float s) { return unary(a, [s](float x) { return x * s; }); }
Tensor neg(const Tensor& a) { return unary(a, [](float x) { return -x; }); }
Tensor exp(const Tensor& a) { return unary(a, [](float x) { return std::exp(x); }); }
Tensor log(const Tensor& a) { return unary(a, [](float x) { return std::log(x); }); }
Tensor sqrt(const Tensor& a) { return unary(a, [](float x) { return std::sqrt(x); }); }
Tensor pow(const Tensor& a, float e) { return unary(a, [e](float x) { return std::pow(x, e); }); }
Tensor relu(const Tensor& a) { return unary(a, [](float x) { return x > 0.f ? x : 0.f; }); }
Tensor leaky_relu(const Tensor& a, float slope) {
  return unary(a, [slope](float x) { return x > 0.f ? x : slope * x; });
}
Tensor sigmoid(const Tensor& a) { return unary(a, [](float x) { return 1.f / (1.f + std::exp(-x)); }); }
Tensor clamp(const Tensor& a, float lo, float hi) {
  return unary(a, [lo, hi](float x) { return std::min(std::max(x, lo), hi); });
}

void add_(Tensor& a, const Tensor& b) {
  check_same_shape(a, b, "add_");
  Tensor bc = b.contiguous();
  float* pa = a.data();
  const float* pb = bc.data();
  const int64_t n = a.numel();
#pragma omp parallel for simd if (n > kParallelGrain) schedule(static)
  for (int64_t i = 0; i < n; ++i) pa[i] += pb[i];
}

void axpy_(Tensor& y, float alpha, const Tensor& x) {
  check_same_shape(y, x, "axpy_");
  Tensor xc = x.contiguous();
  float* py = y.data();
  const float* px = xc.data();
  const int64_t n = y.numel();
#pragma omp parallel for simd if (n > kParallelGrain) schedule(static)
  for (int64_t i = 0; i < n; ++i) py[i] += alpha * px[i];
}

void mul_scalar_(Tensor& a, float s) {
  if (!a.is_contiguous()) throw std::invalid_argument("mul_scalar_: destination is not contiguous");
  float* p = a.data();
  const int64_t n = a.numel();
#pragma omp parallel for simd if (n > kParallelGrain) schedule(static)
  for (int64_t i = 0; i < n; ++i) p[i] *= s;
}

float max_abs_diff(const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape())
    throw std::invalid_argument("max_abs_diff: shapes " + shape_str(a.shape()) + " and " + shape_str(b.shape()) +
                                " differ");
  Tensor x = a.contiguous(), y = b.contiguous();
  float m = 0.f;
  for (int64_t i = 0; i < x.numel(); ++i) {
    const float d = std::fabs(x.data()[i] - y.data()[i]);
    if (std::isnan(d)) return d;
    m = std::max(m, d);
  }
  return m;
}

}  // namespace gs
