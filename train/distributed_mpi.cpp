// train/distributed.h over MPI (Open MPI): MPI_COMM_WORLD, blocking collectives for the rare
// exchanges and MPI_Iallreduce for the gradient buckets of every step.
#ifdef GRAPHSTYLE_MPI
// The C API only: Open MPI's mpi.h would otherwise pull in its deprecated C++ bindings (libmpi_cxx).
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <algorithm>
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

void union_over_processes(std::vector<uint8_t>& flags) {
  if (!several() || flags.empty()) return;
  check(MPI_Allreduce(MPI_IN_PLACE, flags.data(), static_cast<int>(flags.size()), MPI_UINT8_T, MPI_MAX,
                      MPI_COMM_WORLD),
        "MPI_Allreduce");
}

struct GradientAverager::Bucket {
  std::vector<ag::Variable> params;
  std::vector<float> values;  // the params' gradients back to back, in their order
  size_t waiting = 0;         // params whose gradient is not final yet in this step
  std::vector<bool> had_grad;  // the same on every rank: each runs the same graph
  MPI_Request request = MPI_REQUEST_NULL;

  // Copies the gradients (zeros where a parameter has none) and starts their sum over the ranks.
  void start() {
    size_t total = 0;
    for (const ag::Variable& p : params) total += p.value().numel();
    values.assign(total, 0.f);
    had_grad.clear();
    size_t at = 0;
    for (const ag::Variable& p : params) {
      had_grad.push_back(p.has_grad());
      if (p.has_grad()) {
        const Tensor g = p.grad().contiguous();
        std::memcpy(values.data() + at, g.data(), g.numel() * sizeof(float));
      }
      at += p.value().numel();
    }
    check(MPI_Iallreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_FLOAT, MPI_SUM,
                         MPI_COMM_WORLD, &request),
          "MPI_Iallreduce");
  }
};

GradientAverager::GradientAverager(const std::vector<ag::Variable>& params, size_t bucket_bytes) {
  size_t bytes = bucket_bytes;  // starts a bucket at the first parameter
  for (const ag::Variable& p : params) {
    if (bytes >= bucket_bytes) {
      buckets_.push_back(std::make_unique<Bucket>());
      bytes = 0;
    }
    Bucket& b = *buckets_.back();
    b.params.push_back(p);
    bytes += p.value().numel() * sizeof(float);
    bucket_of_.push_back({p.id(), buckets_.size() - 1});
  }
  std::sort(bucket_of_.begin(), bucket_of_.end());
  for (auto& b : buckets_) b->waiting = b->params.size();
}

GradientAverager::~GradientAverager() {
  for (auto& b : buckets_)  // only after an exception between the backward and finish
    if (b->request != MPI_REQUEST_NULL) MPI_Wait(&b->request, MPI_STATUS_IGNORE);
}

size_t GradientAverager::buckets() const { return buckets_.size(); }

void GradientAverager::gradient_ready(const void* param) {
  if (!several()) return;
  const auto it = std::lower_bound(bucket_of_.begin(), bucket_of_.end(), std::make_pair(param, size_t{0}));
  if (it == bucket_of_.end() || it->first != param) return;  // not a parameter being averaged (a cut, say)
  --buckets_[it->second]->waiting;
  // In bucket order only: a later bucket that is complete first waits for the ones before it.
  while (next_ < buckets_.size() && buckets_[next_]->waiting == 0) buckets_[next_++]->start();
}

void GradientAverager::progress() {
  if (!several()) return;
  for (size_t i = 0; i < next_; ++i) {
    int done = 0;  // a finished request becomes MPI_REQUEST_NULL, which tests (and waits) as done at once
    check(MPI_Test(&buckets_[i]->request, &done, MPI_STATUS_IGNORE), "MPI_Test");
  }
}

void GradientAverager::finish() {
  if (!several()) return;
  while (next_ < buckets_.size()) buckets_[next_++]->start();
  const float scale = 1.f / static_cast<float>(process_group().size);
  for (auto& b : buckets_) {
    check(MPI_Wait(&b->request, MPI_STATUS_IGNORE), "MPI_Wait");
    size_t at = 0;
    for (size_t k = 0; k < b->params.size(); ++k) {
      ag::Variable& p = b->params[k];
      const int64_t n = p.value().numel();
      if (b->had_grad[k]) {
        Tensor mean = Tensor::empty(p.value().shape());
        float* out = mean.data();
        for (int64_t i = 0; i < n; ++i) out[i] = b->values[at + i] * scale;
        p.zero_grad();
        p.add_grad(mean);
      }
      at += n;
    }
    b->waiting = b->params.size();
  }
  next_ = 0;
}

}  // namespace gs::train
#endif
