// Reading an untrusted file in a child process first. libhdf5 itself crashes or hangs on some
// crafted files (bugs in its parser that no check of ours can prevent, since they happen while it
// opens the file); run in a forked child with a time limit, such a file becomes a one-line error
// naming it instead of a SIGSEGV or a hung command. The parent then reads the file for real.
#pragma once
#include <functional>
#include <string>

namespace gs::tools {

// Runs `read` in a forked child. Returns when it succeeded; throws std::runtime_error with the
// child's error message when it threw, or naming `path` when it crashed or ran out of time.
void check_in_child(const std::string& path, const std::function<void()>& read, int timeout_seconds = 120);

}  // namespace gs::tools
