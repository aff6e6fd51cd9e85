// Differentiable ops on Variables. Each is a free function whose backward lambda sits beside its
// forward (in elementwise_ops.cpp, reduce_ops.cpp, shape_ops.cpp, linalg_ops.cpp, loss_ops.cpp)
// and computes only the gradients of the inputs that require them.
#pragma once
#include <vector>

#include "autograd/variable.h"
#include "tensor/ops.h"

namespace gs::ag {

// elementwise, with broadcasting (gradients are summed back to each input's shape)
Variable add(const Variable& a, const Variable& b);
Variable sub(const Variable& a, const Variable& b);
Variable mul(const Variable& a, const Variable& b);
Variable div(const Variable& a, const Variable& b);
Variable neg(const Variable& a);
Variable add_scalar(const Variable& a, float s);
Variable mul_scalar(const Variable& a, float s);
Variable exp(const Variable& a);
Variable log(const Variable& a);
Variable sqrt(const Variable& a);
Variable pow(const Variable& a, float exponent);
Variable relu(const Variable& a);                     // gradient 0 at 0
Variable leaky_relu(const Variable& a, float slope);  // gradient `slope` at 0 (MODEL.md 2.6)
Variable sigmoid(const Variable& a);

// reductions
Variable sum(const Variable& a, const std::vector<int64_t>& dims = {}, bool keepdim = false);
Variable mean(const Variable& a, const std::vector<int64_t>& dims = {}, bool keepdim = false);
Variable softmax(const Variable& a, int64_t dim);

// shape
Variable reshape(const Variable& a, const Shape& shape);
Variable permute(const Variable& a, const std::vector<int64_t>& order);
Variable concat(const std::vector<Variable>& parts, int64_t dim);
Variable index_select(const Variable& a, int64_t dim, const std::vector<int64_t>& index);
Variable gather(const Variable& a, int64_t dim, const Index& index);

// linear algebra: a [M,K] x b [K,N]; bmm: [B,M,K] x [B,K,N]
Variable matmul(const Variable& a, const Variable& b);
Variable bmm(const Variable& a, const Variable& b);

// losses: mean((a - b)^2) over all elements -> a 0-d variable
Variable mse_loss(const Variable& a, const Variable& b);

inline Variable operator+(const Variable& a, const Variable& b) { return add(a, b); }
inline Variable operator-(const Variable& a, const Variable& b) { return sub(a, b); }
inline Variable operator*(const Variable& a, const Variable& b) { return mul(a, b); }
inline Variable operator/(const Variable& a, const Variable& b) { return div(a, b); }
inline Variable operator-(const Variable& a) { return neg(a); }

}  // namespace gs::ag
