// train/distributed.h without MPI: one process, nothing to average or send.
#ifndef GRAPHSTYLE_MPI
#include <cstdlib>

#include "train/distributed.h"

namespace gs::train {

bool mpi_built() { return false; }
bool launched_by_mpi() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
}
void join_processes() {}
void leave_processes() {}
void abort_processes(int exit_code) { std::exit(exit_code); }
ProcessGroup process_group() { return {}; }
void broadcast_from_root(std::vector<Tensor>&) {}
void sum_over_processes(std::vector<double>&) {}
bool any_process(bool value) { return value; }
void union_over_processes(std::vector<uint8_t>&) {}

struct GradientAverager::Bucket {};
GradientAverager::GradientAverager(const std::vector<ag::Variable>&, size_t) {}
GradientAverager::~GradientAverager() = default;
void GradientAverager::gradient_ready(const void*) {}
void GradientAverager::progress() {}
void GradientAverager::finish() {}
size_t GradientAverager::buckets() const { return 0; }

}  // namespace gs::train
#endif
