// train/distributed.h over MPI (Open MPI): MPI_COMM_WORLD, blocking collectives for the rare
// exchanges and MPI_Iallreduce for the gradient buckets of every step.
#ifdef GRAPHSTYLE_MPI
// The C API only: Open MPI's mpi.h would otherwise pull in its deprecated C++ bindings (libmpi_cxx).
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "train/distributed.h"

namespace gs::train {

namespace {
bool joined = false;  // this process called MPI_Init through join_processes

void check(int code, const char* call) {
  if (code != MPI_SUCCESS) throw std::runtime_error(std::string(call) + " failed (MPI error " + std::to_string(code) + ")");
}

bool several() { return joined && process_group().size > 1; }
}  // namespace

bool mpi_built() { return true; }

bool launched_by_mpi() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
}

void join_processes() {
  if (joined || !launched_by_mpi()) return;
  int provided = 0;
  // OpenMP threads compute; only the thread that joined calls MPI.
  check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  joined = true;
}

void leave_processes() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (joined && !finalized) MPI_Finalize();
  joined = false;
}

void abort_processes(int exit_code) {
  if (joined) MPI_Abort(MPI_COMM_WORLD, exit_code);
  std::exit(exit_code);
}

ProcessGroup process_group() {
  ProcessGroup g;
  if (!joined) return g;
  MPI_Comm_rank(MPI_COMM_WORLD, &g.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g.size);
  return g;
}

void broadcast_from_root(std::vector<Tensor>& tensors) {
  if (!several()) return;
  for (Tensor& t : tensors) {
    Tensor c = t.contiguous();
    check(MPI_Bcast(c.data(), static_cast<int>(c.numel()), MPI_FLOAT, 0, MPI_COMM_WORLD), "MPI_Bcast");
    if (c.data() != t.data()) t.copy_from(c);
  }
}

void sum_over_processes(std::vector<double>& values) {
  if (!several() || values.empty()) return;
  check(MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_DOUBLE, MPI_SUM,
                      MPI_COMM_WORLD),
        "MPI_Allreduce");
}

bool any_process(bool value) {
  if (!several()) return value;
  int v = value ? 1 : 0;
  check(MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD), "MPI_Allreduce");
  return v != 0;
}

struct GradientAverager::Bucket {
  std::vector<ag::Variable> params;
  std::vector<bool> had_grad;  // the same on every rank: each runs the same graph
  std::vector<float> values;  // the params' gradients back to back, in their order
  MPI_Request request = MPI_REQUEST_NULL;
};

GradientAverager::GradientAverager(size_t bucket_bytes) : bucket_bytes_(bucket_bytes) {}

GradientAverager::~GradientAverager() {
  for (auto& b : buckets_)  // only after an exception between start and finish
    if (b->request != MPI_REQUEST_NULL) MPI_Wait(&b->request, MPI_STATUS_IGNORE);
}

void GradientAverager::start(const std::vector<ag::Variable>& params) {
  if (!several()) return;
  auto launch = [&](std::unique_ptr<Bucket> b) {
    check(MPI_Iallreduce(MPI_IN_PLACE, b->values.data(), static_cast<int>(b->values.size()), MPI_FLOAT, MPI_SUM,
                         MPI_COMM_WORLD, &b->request),
          "MPI_Iallreduce");
    buckets_.push_back(std::move(b));
  };
  auto bucket = std::make_unique<Bucket>();
  for (const ag::Variable& p : params) {
    const int64_t n = p.value().numel();
    const size_t at = bucket->values.size();
    bucket->values.resize(at + n, 0.f);  // a parameter without a gradient contributes zeros
    if (p.has_grad()) {
      const Tensor g = p.grad().contiguous();
      std::memcpy(bucket->values.data() + at, g.data(), n * sizeof(float));
    }
    bucket->params.push_back(p);
    bucket->had_grad.push_back(p.has_grad());
    if (bucket->values.size() * sizeof(float) >= bucket_bytes_) {
      launch(std::move(bucket));
      bucket = std::make_unique<Bucket>();
    }
  }
  if (!bucket->params.empty()) launch(std::move(bucket));
}

void GradientAverager::finish() {
  if (!several()) return;
  const float scale = 1.f / static_cast<float>(process_group().size);
  for (auto& b : buckets_) {
    check(MPI_Wait(&b->request, MPI_STATUS_IGNORE), "MPI_Wait");
    size_t at = 0;
    for (size_t k = 0; k < b->params.size(); ++k) {
      ag::Variable& p = b->params[k];
      if (!b->had_grad[k]) {
        at += p.value().numel();
        continue;
      }
      Tensor mean = Tensor::empty(p.value().shape());
      float* out = mean.data();
      for (int64_t i = 0; i < mean.numel(); ++i) out[i] = b->values[at + i] * scale;
      at += mean.numel();
      p.zero_grad();
      p.add_grad(mean);
    }
  }
  buckets_.clear();
}

}  // namespace gs::train
#endif
