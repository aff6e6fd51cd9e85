#include "tensor/allocator.h"

#include <malloc.h>

namespace gs {

bool configure_allocator() {
  const bool mmap_ok = mallopt(M_MMAP_THRESHOLD, static_cast<int>(kHeapBlockLimit)) == 1;
  const bool trim_ok = mallopt(M_TRIM_THRESHOLD, static_cast<int>(kHeapBlockLimit)) == 1;
  return mmap_ok && trim_ok;
}

bool keep_all_freed_memory() {
  const bool mmap_ok = mallopt(M_MMAP_MAX, 0) == 1;         // large blocks come from the heap too
  const bool trim_ok = mallopt(M_TRIM_THRESHOLD, -1) == 1;  // mallopt(3): -1 disables trimming
  return mmap_ok && trim_ok;
}

void release_free_memory() { malloc_trim(0); }

}  // namespace gs
