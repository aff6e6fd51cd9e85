#include "graph/dnnl_matmul.h"

#include <dnnl.hpp>

namespace gs::graph {

namespace {
const dnnl::engine& cpu_engine() {
  static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}
}  // namespace

struct DnnlMatmul::Impl {
  dnnl::memory::desc a, b, c;
  dnnl::matmul primitive;
};

DnnlMatmul::DnnlMatmul(int64_t M, int64_t N, int64_t K, int64_t ldb) : impl_(std::make_unique<Impl>()) {
  using dims = dnnl::memory::dims;
  const auto f32 = dnnl::memory::data_type::f32;
  impl_->a = dnnl::memory::desc(dims{M, K}, f32, dims{K, 1});
  impl_->b = dnnl::memory::desc(dims{K, N}, f32, dims{ldb, 1});
  impl_->c = dnnl::memory::desc(dims{M, N}, f32, dims{N, 1});
  dnnl::matmul::desc desc(impl_->a, impl_->b, impl_->c);
  impl_->primitive = dnnl::matmul(dnnl::matmul::primitive_desc(desc, cpu_engine()));
}

DnnlMatmul::~DnnlMatmul() = default;

void DnnlMatmul::run(const float* A, const float* B, float* C) const {
  thread_local dnnl::stream stream(cpu_engine());
  // oneDNN's memory objects take non-const pointers; A and B are only read.
  dnnl::memory a(impl_->a, cpu_engine(), const_cast<float*>(A));
  dnnl::memory b(impl_->b, cpu_engine(), const_cast<float*>(B));
  dnnl::memory c(impl_->c, cpu_engine(), C);
  impl_->primitive.execute(stream, {{DNNL_ARG_SRC, a}, {DNNL_ARG_WEIGHTS, b}, {DNNL_ARG_DST, c}});
  stream.wait();
}

}  // namespace gs::graph
