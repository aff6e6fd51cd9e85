// Kernels on plain tensors (no autograd). Inputs may be any view; outputs are fresh contiguous
// tensors unless the name ends in `_` (in place). Shape errors name every shape involved.
#pragma once
#include <cstdint>
#include <vector>

#include "tensor/tensor.h"

namespace gs {

// Integer indices with a shape (float Tensors hold values, this holds positions).
struct Index {
  Shape shape;
  std::vector<int64_t> values;
};

// --- broadcasting elementwise -------------------------------------------------------------------
// NumPy rules: trailing dimensions are aligned; a size-1 dimension stretches.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
// Sums a broadcast gradient back to `shape` (the backward of broadcasting).
Tensor sum_to(const Tensor& g, const Shape& shape);

// --- unary and scalar ---------------------------------------------------------------------------
Tensor add_scalar(const Tensor& a, float s);
Tensor mul_scalar(const Tensor& a, float s);
Tensor neg(const Tensor& a);
Tensor exp(const Tensor& a);
Tensor log(const Tensor& a);
Tensor sqrt(const Tensor& a);
Tensor pow(const Tensor& a, float exponent);
Tensor relu(const Tensor& a);
Tensor leaky_relu(const Tensor& a, float slope);
Tensor sigmoid(const Tensor& a);
Tensor clamp(const Tensor& a, float lo, float hi);

// In place, same shapes: a += b; y += alpha * x; a *= s.
void add_(Tensor& a, const Tensor& b);
void axpy_(Tensor& y, float alpha, const Tensor& x);
void mul_scalar_(Tensor& a, float s);

// --- reductions ---------------------------------------------------------------------------------
// dims may be negative; an empty dims list reduces over every dimension.
Tensor sum(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim = false);
Tensor mean(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim = false);
Tensor max(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim = false);
double sum_all(const Tensor& a);  // in double, for losses and checks
// a: [..., n, ...] -> softmax along dim
Tensor softmax(const Tensor& a, int64_t dim);

// --- linear algebra (Eigen) ---------------------------------------------------------------------
// a: [M,K] (or [K,M] if trans_a), b: [K,N] (or [N,K] if trans_b) -> [M,N]
Tensor matmul(const Tensor& a, const Tensor& b, bool trans_a = false, bool trans_b = false);
// a: [B,M,K], b: [B,K,N] -> [B,M,N] (same transposition flags, per batch)
Tensor bmm(const Tensor& a, const Tensor& b, bool trans_a = false, bool trans_b = false);

// --- shape and indexing -------------------------------------------------------------------------
Tensor concat(const std::vector<Tensor>& parts, int64_t dim);
// out.size(dim) = index.size(); out[..., i, ...] = a[..., index[i], ...]
Tensor index_select(const Tensor& a, int64_t dim, const std::vector<int64_t>& index);
// The adjoint of index_select: out (shape `shape`) with out[..., index[i], ...] += g[..., i, ...].
Tensor index_add(const Shape& shape, int64_t dim, const std::vector<int64_t>& index, const Tensor& g);
// torch.gather: index has a's rank; out[i][j][k] = a[i][index[i][j][k]][k] for dim = 1.
Tensor gather(const Tensor& a, int64_t dim, const Index& index);
// The adjoint of gather: scatter-add g into a zero tensor of `shape`.
Tensor scatter_add(const Shape& shape, int64_t dim, const Index& index, const Tensor& g);

// --- comparisons for tests and verify -------------------------------------------------------------
float max_abs_diff(const Tensor& a, const Tensor& b);

}  // namespace gs
