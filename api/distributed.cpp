// graphstyle::DistributedTraining over train/distributed.h.
#include "graphstyle/distributed.hpp"

#include "train/distributed.h"

namespace graphstyle {

DistributedTraining::DistributedTraining() { gs::train::join_processes(); }
DistributedTraining::~DistributedTraining() { gs::train::leave_processes(); }
int DistributedTraining::rank() const { return gs::train::process_group().rank; }
int DistributedTraining::size() const { return gs::train::process_group().size; }
void DistributedTraining::abort(int exit_code) const { gs::train::abort_processes(exit_code); }
bool DistributedTraining::built_with_mpi() { return gs::train::mpi_built(); }
bool DistributedTraining::launched_by_mpirun() { return gs::train::launched_by_mpi(); }

}  // namespace graphstyle
