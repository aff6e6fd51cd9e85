// Runs this executable again as a child process (/proc/self/exe), for measurements that need a
// process of their own: peak RSS is per process, so each bench case gets a fresh one.
#pragma once
#include <string>
#include <vector>

namespace gs::tools {

struct ChildResult {
  int exit_code = -1;     // the child's exit status, or 128 + signal number
  std::string out;        // everything it wrote to stdout (stderr passes through)
  double max_rss_mb = 0;  // its ru_maxrss
  double cpu_s = 0;       // its user + system CPU time
};

// args: the arguments after the program name, e.g. {"bench", "--case", "gnn_512"}.
ChildResult run_self(const std::vector<std::string>& args);

}  // namespace gs::tools
