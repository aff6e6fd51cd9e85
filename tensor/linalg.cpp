// Matrix products through Eigen. Eigen's own threading is off (EIGEN_DONT_PARALLELIZE): we split
// the work over OpenMP threads ourselves, by batch or by output rows.
#include <Eigen/Core>
#include <omp.h>
#include <stdexcept>

#include "tensor/ops.h"

namespace gs {

namespace {
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMatrix>;
using Map = Eigen::Map<RowMatrix>;

// out[M,N] = op(a) op(b) for dense row-major a, b; rows [r0, r1) of the output only.
void gemm_rows(const float* a, const float* b, float* out, int64_t M, int64_t K, int64_t N, bool ta, bool tb,
               int64_t r0, int64_t r1) {
  const int64_t rows = r1 - r0;
  if (rows <= 0) return;
  Map o(out + r0 * N, rows, N);
  ConstMap B(b, tb ? N : K, tb ? K : N);
  if (!ta) {
    ConstMap A(a + r0 * K, rows, K);
    if (tb) o.noalias() = A * B.transpose(); else o.noalias() = A * B;
  } else {
    // a is [K, M]: output rows r0..r1 are columns r0..r1 of a.
    ConstMap A(a, K, M);
    if (tb) o.noalias() = A.middleCols(r0, rows).transpose() * B.transpose();
    else o.noalias() = A.middleCols(r0, rows).transpose() * B;
  }
}

void gemm(const float* a, const float* b, float* out, int64_t M, int64_t K, int64_t N, bool ta, bool tb,
          bool parallel) {
  const double flops = 2.0 * M * N * K;
  if (!parallel || flops < 2e6 || M < 16) {
    gemm_rows(a, b, out, M, K, N, ta, tb, 0, M);
    return;
  }
#pragma omp parallel
  {
    const int64_t t = omp_get_thread_num(), nt = omp_get_num_threads();
    const int64_t chunk = (M + nt - 1) / nt;
    gemm_rows(a, b, out, M, K, N, ta, tb, std::min(M, t * chunk), std::min(M, (t + 1) * chunk));
  }
}

void check_inner(int64_t ka, int64_t kb, const Tensor& a, const Tensor& b, const char* op) {
  if (ka != kb)
    throw std::invalid_argument(std::string(op) + ": inner dimensions differ for shapes " + shape_str(a.shape()) +
                                " and " + shape_str(b.shape()));
}
}  // namespace

// a: [M,K] (or [K,M]), b: [K,N] (or [N,K]) -> [M,N]
Tensor matmul(const Tensor& a, const Tensor& b, bool trans_a, bool trans_b) {
  if (a.dim() != 2 || b.dim() != 2)
    throw std::invalid_argument("matmul needs 2-d tensors, got " + shape_str(a.shape()) + " and " + shape_str(b.shape()));
  const int64_t M = a.size(trans_a ? 1 : 0), K = a.size(trans_a ? 0 : 1);
  const int64_t N = b.size(trans_b ? 0 : 1), Kb = b.size(trans_b ? 1 : 0);
  check_inner(K, Kb, a, b, "matmul");
  Tensor ac = a.contiguous(), bc = b.contiguous();
  Tensor out = Tensor::empty({M, N});
  gemm(ac.data(), bc.data(), out.data(), M, K, N, trans_a, trans_b, true);
  return out;
}

// a: [B,M,K], b: [B,K,N] -> [B,M,N]
Tensor bmm(const Tensor& a, const Tensor& b, bool trans_a, bool trans_b) {
  if (a.dim() != 3 || b.dim() != 3 || a.size(0) != b.size(0))
    throw std::invalid_argument("bmm needs 3-d tensors with the same batch size, got " + shape_str(a.shape()) + " and " +
                                shape_str(b.shape()));
  const int64_t B = a.size(0);
  const int64_t M = a.size(trans_a ? 2 : 1), K = a.size(trans_a ? 1 : 2);
  const int64_t N = b.size(trans_b ? 1 : 2), Kb = b.size(trans_b ? 2 : 1);
  check_inner(K, Kb, a, b, "bmm");
  Tensor ac = a.contiguous(), bc = b.contiguous();
  Tensor out = Tensor::empty({B, M, N});
  // Parallel over the batch when it is large enough to keep every thread busy, else inside each product.
  const bool by_batch = B >= omp_get_max_threads();
#pragma omp parallel for if (by_batch) schedule(static)
  for (int64_t i = 0; i < B; ++i)
    gemm(ac.data() + i * M * K, bc.data() + i * K * N, out.data() + i * M * N, M, K, N, trans_a, trans_b, !by_batch);
  return out;
}

}  // namespace gs
