// Process-wide settings that a host program may opt into. The library never applies them itself:
// they change how the whole process allocates memory.
#pragma once
#include "graphstyle/export.h"

GRAPHSTYLE_EXPORT_BEGIN
namespace graphstyle {

// glibc malloc tuned for large tensors: blocks up to 256 MB come from the heap and are reused
// rather than mapped fresh and page-faulted on every call (5-10% of a 512x512 stylization), at
// the cost of about 70 MB more resident memory. Call once, early. False if glibc refused.
bool tune_allocator();

// For a loop that frees and allocates the same large tensors (training): no freed memory is ever
// returned, so no page is faulted in twice. False if glibc refused.
bool keep_freed_memory();

// Returns the heap's free memory to the system now (malloc_trim).
void release_free_memory();

// SIGINT (Ctrl-C) and SIGTERM ask a long run to stop at its next safe point instead of killing the
// process: while a StopSignals lives, the handlers only record the signal; poll requested() (for
// training: TrainCallbacks::stop_requested). One-shot: a second signal acts as if none were installed.
// One instance at a time; the destructor restores the previous handlers.
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  bool requested() const;
  int signal_number() const;  // the signal received, 0 if none
};

// "0.2.0"; the header's GRAPHSTYLE_VERSION_STRING is the version compiled against.
const char* version();

}  // namespace graphstyle
GRAPHSTYLE_EXPORT_END
