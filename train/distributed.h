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
#include <cstdint>
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
void union_over_processes(std::vector<uint8_t>& flags);  // in place: 1 where any rank has 1

// Averages gradients over the ranks in buckets of about `bucket_bytes`, as PyTorch's DDP does. The
// buckets are cut once from the parameters in the order their gradients become final during the
// backward. The backward reports each final gradient (gradient_ready, from ag::BackwardHooks); a
// bucket's non-blocking allreduce starts as soon as all its gradients are final, and progress(),
// called between the backward's ops, lets the started ones advance while the backward computes
// (Open MPI moves a non-blocking collective only inside MPI calls, so without it they would wait for
// finish()). finish() starts what is left (a parameter without a gradient sends zeros), waits for all
// and replaces each gradient by the mean. Buckets always start in their fixed order, the same on
// every rank as MPI requires, so the sums, and a run, are reproducible for a given number of ranks.
class GradientAverager {
 public:
  explicit GradientAverager(const std::vector<ag::Variable>& params, size_t bucket_bytes = 4u << 20);
  ~GradientAverager();
  GradientAverager(const GradientAverager&) = delete;
  GradientAverager& operator=(const GradientAverager&) = delete;

  void gradient_ready(const void* param);  // Variable::id() of a parameter whose gradient is final; others are ignored
  void progress();                         // MPI_Test on the started buckets
  void finish();                           // every parameter's gradient is now the mean over the ranks
  size_t buckets() const;

 private:
  struct Bucket;
  std::vector<std::unique_ptr<Bucket>> buckets_;
  std::vector<std::pair<const void*, size_t>> bucket_of_;  // parameter id -> its bucket, sorted by id
  size_t next_ = 0;                                        // the next bucket to start
};

}  // namespace gs::train
