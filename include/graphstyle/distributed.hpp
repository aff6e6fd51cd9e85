// Data-parallel training over MPI: a program started by `mpirun -np N` creates one
// DistributedTraining before it trains, and every graphstyle::Trainer::run then trains one model on
// the N processes (ranks) together: each takes its slice of every global batch, the gradients are
// averaged over the ranks, and rank 0 alone writes the run's files. MPI's initialisation is
// process-wide, so the library never does it on its own. Without mpirun, or in a library built
// without MPI, it is one process of one rank and nothing changes.
#pragma once
#include "graphstyle/export.h"

GRAPHSTYLE_EXPORT_BEGIN
namespace graphstyle {

class DistributedTraining {
 public:
  DistributedTraining();   // joins MPI_COMM_WORLD when launched by mpirun and built with MPI
  ~DistributedTraining();  // leaves it (MPI_Finalize)
  DistributedTraining(const DistributedTraining&) = delete;
  DistributedTraining& operator=(const DistributedTraining&) = delete;

  int rank() const;  // 0 .. size() - 1; rank 0 writes the files
  int size() const;
  // Ends every rank of the run at once with `exit_code` (MPI_Abort): for an error on one rank, which
  // the others would otherwise wait for forever.
  [[noreturn]] void abort(int exit_code) const;

  static bool built_with_mpi();
  static bool launched_by_mpirun();  // an MPI launcher's environment is present
};

}  // namespace graphstyle
GRAPHSTYLE_EXPORT_END
