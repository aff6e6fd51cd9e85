// The opt-in process-wide settings (graphstyle/process.hpp) and the version.
#include "graphstyle/process.hpp"

#include "graphstyle/version.h"
#include "tensor/allocator.h"

namespace graphstyle {

bool tune_allocator() { return gs::configure_allocator(); }
bool keep_freed_memory() { return gs::keep_all_freed_memory(); }
void release_free_memory() { gs::release_free_memory(); }
const char* version() { return GRAPHSTYLE_VERSION_STRING; }

}  // namespace graphstyle
