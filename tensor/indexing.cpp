// Concatenation and index-based selection, with their adjoints (index_add, scatter_add).
// Each views its tensors as [outer, n, inner] around the chosen dimension.
#include <cstring>
#include <stdexcept>

#include "tensor/ops.h"

namespace gs {

namespace {
struct Split {
  int64_t outer = 1, n = 1, inner = 1;
};

Split split_at(const Shape& shape, int64_t dim) {
  Split s;
  for (int64_t d = 0; d < dim; ++d) s.outer *= shape[d];
  s.n = shape[dim];
  for (size_t d = dim + 1; d < shape.size(); ++d) s.inner *= shape[d];
  return s;
}

void check_index(int64_t i, int64_t n, const char* op) {
  if (i < 0 || i >= n)
    throw std::out_of_range(std::string(op) + ": index " + std::to_string(i) + " out of range [0, " +
                            std::to_string(n) + ")");
}
}  // namespace

Tensor concat(const std::vector<Tensor>& parts, int64_t dim) {
  if (parts.empty()) throw std::invalid_argument("concat of no tensors");
  dim = normalize_dim(dim, parts[0].dim(), "concat");
  Shape out_shape = parts[0].shape();
  out_shape[dim] = 0;
  for (const Tensor& p : parts) {
    Shape s = p.shape();
    if (p.dim() != parts[0].dim()) throw std::invalid_argument("concat: ranks differ");
    s[dim] = 0;
    Shape first = parts[0].shape();
    first[dim] = 0;
    if (s != first)
      throw std::invalid_argument("concat along dimension " + std::to_string(dim) + ": shapes " +
                                  shape_str(parts[0].shape()) + " and " + shape_str(p.shape()) + " differ elsewhere");
    out_shape[dim] += p.shape()[dim];
  }
  Tensor out = Tensor::empty(out_shape);
  const Split o = split_at(out_shape, dim);
  int64_t at = 0;
  for (const Tensor& p : parts) {
    Tensor pc = p.contiguous();
    const Split s = split_at(pc.shape(), dim);
    for (int64_t r = 0; r < s.outer; ++r)
      std::memcpy(out.data() + (r * o.n + at) * o.inner, pc.data() + r * s.n * s.inner, s.n * s.inner * sizeof(float));
    at += s.n;
  }
  return out;
}

Tensor index_select(const Tensor& a, int64_t dim, const std::vector<int64_t>& index) {
  dim = normalize_dim(dim, a.dim(), "index_select");
  Tensor ac = a.contiguous();
  const Split s = split_at(ac.shape(), dim);
  Shape out_shape = ac.shape();
  out_shape[dim] = static_cast<int64_t>(index.size());
  Tensor out = Tensor::empty(out_shape);
  const int64_t m = out_shape[dim];
  for (int64_t i : index) check_index(i, s.n, "index_select");
#pragma omp parallel for collapse(2) if (out.numel() > (1 << 15))
  for (int64_t r = 0; r < s.outer; ++r)
    for (int64_t j = 0; j < m; ++j)
      std::memcpy(out.data() + (r * m + j) * s.inner, ac.data() + (r * s.n + index[j]) * s.inner,
                  s.inner * sizeof(float));
  return out;
}

Tensor index_add(const Shape& shape, int64_t dim, const std::vector<int64_t>& index, const Tensor& g) {
  dim = normalize_dim(dim, static_cast<int64_t>(shape.size()), "index_add");
  Tensor gc = g.contiguous();
  Tensor out = Tensor::zeros(shape);
  const Split s = split_at(shape, dim);
  const int64_t m = static_cast<int64_t>(index.size());
  for (int64_t i : index) check_index(i, s.n, "index_add");
  // Repeated indices add into the same row, so parallelise over the outer rows only.
#pragma omp parallel for if (gc.numel() > (1 << 15))
  for (int64_t r = 0; r < s.outer; ++r)
    for (int64_t j = 0; j < m; ++j) {
      float* dst = out.data() + (r * s.n + index[j]) * s.inner;
      const float* src = gc.data() + (r * m + j) * s.inner;
      for (int64_t q = 0; q < s.inner; ++q) dst[q] += src[q];
    }
  return out;
}

namespace {
void check_gather_index(const Shape& a, int64_t dim, const Index& index, const char* op) {
  if (index.shape.size() != a.size() || shape_numel(index.shape) != static_cast<int64_t>(index.values.size()))
    throw std::invalid_argument(std::string(op) + ": index of shape " + shape_str(index.shape) +
                                " does not match a tensor of shape " + shape_str(a));
  for (size_t d = 0; d < a.size(); ++d)
    if (static_cast<int64_t>(d) != dim && index.shape[d] != a[d])
      throw std::invalid_argument(std::string(op) + ": index shape " + shape_str(index.shape) +
                                  " must equal the tensor's shape " + shape_str(a) + " except along dimension " +
                                  std::to_string(dim));
}
}  // namespace

Tensor gather(const Tensor& a, int64_t dim, const Index& index) {
  dim = normalize_dim(dim, a.dim(), "gather");
  check_gather_index(a.shape(), dim, index, "gather");
  Tensor ac = a.contiguous();
  const Split s = split_at(ac.shape(), dim);
  const int64_t m = index.shape[dim];
  Tensor out = Tensor::empty(index.shape);
  for (int64_t r = 0; r < s.outer; ++r)
    for (int64_t j = 0; j < m; ++j)
      for (int64_t q = 0; q < s.inner; ++q) {
        const int64_t at = (r * m + j) * s.inner + q;
        const int64_t i = index.values[at];
        check_index(i, s.n, "gather");
        out.data()[at] = ac.data()[(r * s.n + i) * s.inner + q];
      }
  return out;
}

Tensor scatter_add(const Shape& shape, int64_t dim, const Index& index, const Tensor& g) {
  dim = normalize_dim(dim, static_cast<int64_t>(shape.size()), "scatter_add");
  check_gather_index(shape, dim, index, "scatter_add");
  Tensor gc = g.contiguous();
  Tensor out = Tensor::zeros(shape);
  const Split s = split_at(shape, dim);
  const int64_t m = index.shape[dim];
  for (int64_t r = 0; r < s.outer; ++r)
    for (int64_t j = 0; j < m; ++j)
      for (int64_t q = 0; q < s.inner; ++q) {
        const int64_t at = (r * m + j) * s.inner + q;
        const int64_t i = index.values[at];
        check_index(i, s.n, "scatter_add");
        out.data()[(r * s.n + i) * s.inner + q] += gc.data()[at];
      }
  return out;
}

}  // namespace gs
