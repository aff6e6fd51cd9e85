// Writing a file the way the library writes its own (images, model files, checkpoints): to a
// temporary file beside the target, flushed to disk, then renamed over it, so that a crash or a full
// disk never leaves a truncated file in place of a good one.
#pragma once
#include <string>

#include "graphstyle/export.h"

GRAPHSTYLE_EXPORT_BEGIN
namespace graphstyle {

// Throws Error (code file) naming `path` when its folder is missing or not writable, or the write fails.
void write_file(const std::string& path, const std::string& bytes);

}  // namespace graphstyle
GRAPHSTYLE_EXPORT_END
