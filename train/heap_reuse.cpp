#include "train/heap_reuse.h"

#include <malloc.h>

#include <cstdint>

namespace gs::train {

void keep_freed_memory_for_reuse() {
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, INT32_MAX);  // the largest value mallopt takes: ~2 GB of free heap is kept
}

}  // namespace gs::train
