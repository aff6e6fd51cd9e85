// Training frees and allocates the same large activations every step (tens to hundreds of MB each).
// glibc serves blocks above its mmap threshold with fresh mmaps and unmaps them on free, so every step
// page-faults the same memory in and zeroes it again: at batch 4 and 256x256, 3.7 million page faults
// in 4 steps, a quarter of the step time spent in the kernel. Keeping freed blocks in the heap lets the
// next step reuse them. (A caching allocator under Tensor would do the same for every command.)
#pragma once

namespace gs::train {

// Process-wide: no more mmap'd blocks, and freed memory is kept rather than returned to the system.
// Peak memory grows a little (fragmentation); the time per step drops (see tools/bench_train.cpp).
void keep_freed_memory_for_reuse();

}  // namespace gs::train
