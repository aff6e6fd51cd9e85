// One fixed GEMM shape run many times through oneDNN: C[M,N] = A[M,K] * B[K,N], all row-major,
// A and C dense, B with a leading dimension ldb >= N (a window of a wider matrix).
// oneDNN's f32 GEMM runs at ~220 GFLOP/s on this machine's 2 cores, Eigen's at ~75.
#pragma once
#include <cstdint>
#include <memory>

namespace gs::graph {

class DnnlMatmul {
 public:
  DnnlMatmul(int64_t M, int64_t N, int64_t K, int64_t ldb);
  ~DnnlMatmul();
  DnnlMatmul(const DnnlMatmul&) = delete;
  DnnlMatmul& operator=(const DnnlMatmul&) = delete;

  // Safe to call from several threads at once (each uses its own stream). Called inside an OpenMP
  // parallel region it runs on the calling thread only.
  void run(const float* A, const float* B, float* C) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gs::graph
