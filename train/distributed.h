// Data-parallel training over MPI (`mpirun -np N graphstyle train ...`), the way Horovod and
// PyTorch's DDP do it: the same model on every process (rank), a contiguous slice of each global
// batch per rank, and the gradients averaged over the ranks before every (identical) Adam update.
//
// Built with MPI (GRAPHSTYLE_MPI, train/distributed_mpi.cpp) the group is MPI_COMM_WORLD once the
// program has joined it (join_processes, which the public graphstyle::DistributedTraining calls);
// otherwise, and in a build without MPI (train/distributed_single.cpp), it is this process alone and
// every function below is trivial. MPI is only ever called from the thread that joined.
#pragma once
#include <cstddef>
#include <memory>
#include <vector>

#include "autograd/variable.h"
#include "tensor/tensor.h"

namespace gs::train {

bool mpi_built();              // this library was built with MPI
bool launched_by_mpi();        // the environment of an MPI launcher (mpirun) is present
void join_processes();         // MPI_Init when launched by mpirun (built with MPI); else nothing
void leave_processes();        // MPI_Finalize when joined
[[noreturn]] void abort_processes(int exit_code);  // MPI_Abort when joined (ends every rank), else std::exit

struct ProcessGroup {
  int rank = 0, size = 1;
  bool root() const { return rank == 0; }  // rank 0 alone writes the run's files
};
ProcessGroup process_group();

void broadcast_from_root(std::vector<Tensor>& tensors);  // every tensor takes rank 0's values
void sum_over_processes(std::vector<double>& values);    // in place, the same result on every rank
bool any_process(bool value);                            // true on every rank when it is true on one

// Averages gradients over the ranks in buckets of about `bucket_bytes`, in the order the parameters
// are given to start(). Each bucket's non-blocking allreduce starts as soon as start() is called with
// its parameters (after that part of the backward), so it can proceed while the rest of the backward
// runs; finish() waits for all and replaces each gradient by the mean. The bucket layout is fixed, so
// the sums, and a run, are reproducible for a given number of ranks.
class GradientAverager {
 public:
  explicit GradientAverager(size_t bucket_bytes = 4u << 20);
  ~GradientAverager();
  GradientAverager(const GradientAverager&) = delete;
  GradientAverager& operator=(const GradientAverager&) = delete;

  void start(const std::vector<ag::Variable>& params);  // their gradients are final on this rank
  void finish();                                        // every started gradient is now the mean

 private:
  struct Bucket;
  size_t bucket_bytes_;
  std::vector<std::unique_ptr<Bucket>> buckets_;
};

}  // namespace gs::train
