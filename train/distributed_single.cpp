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

struct GradientAverager::Bucket {};
GradientAverager::GradientAverager(size_t bucket_bytes) : bucket_bytes_(bucket_bytes) {}
GradientAverager::~GradientAverager() = default;
void GradientAverager::start(const std::vector<ag::Variable>&) {}
void GradientAverager::finish() {}

}  // namespace gs::train
#endif
