#include "train/heap_reuse.h"

#include <malloc.h>

namespace gs::train {

void keep_freed_memory_for_reuse() {
  mallopt(M_MMAP_MAX, 0);         // large blocks come from the heap too
  mallopt(M_TRIM_THRESHOLD, -1);  // never give free heap back (mallopt(3): -1 disables trimming)
}

}  // namespace gs::train
