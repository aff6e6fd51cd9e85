#include <cstdio>
#include <string>
#include <vector>

namespace gs::tools {
int run_bench(const std::vector<std::string>&) {
  std::printf("bench: nothing to time yet\n");
  return 0;
}
}  // namespace gs::tools
