// Process-wide settings of glibc's malloc for a program that allocates large tensors.
//
// By default glibc serves every block over 32 MB with a fresh mmap and unmaps it on free, so each
// large tensor (a 64-channel 512x512 map is 64 MB) starts as untouched pages that fault, one per
// 4 KB, and are cleared by the kernel on first write; that was 5-10% of a 512x512 stylization.
// With these settings blocks of up to 256 MB come from the heap and, once freed, are reused by the
// next tensor without faults; up to 256 MB of free heap is kept rather than returned. Larger blocks
// (the strips of huge images) still go straight back to the kernel, so what is kept is bounded.
// The cost is resident memory: about +70 MB on a 512x512 stylization.
#pragma once
#include <cstddef>

namespace gs {

constexpr size_t kHeapBlockLimit = size_t{256} << 20;  // M_MMAP_THRESHOLD and M_TRIM_THRESHOLD

// Applies the settings (call once, early in main); false if glibc refused one of them.
bool configure_allocator();

// For a loop that frees and allocates the same large tensors every iteration (training: tens to
// hundreds of MB per activation): every block from the heap and no free memory ever returned, so
// that after the first step no page is faulted in again (at batch 4, 256x256, a quarter of the step
// time went to page faults). Peak memory grows a little through fragmentation.
bool keep_all_freed_memory();

// Returns the free memory the heap keeps to the kernel (malloc_trim). For work on large images,
// where memory counts more than the page faults of refilling it: before their big buffers are
// taken, what earlier stages left free in the heap should not add to the peak.
void release_free_memory();

}  // namespace gs
