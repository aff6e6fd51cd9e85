#include <cstdio>
#include <string>
#include <vector>

namespace gs::tools {
int run_verify(const std::vector<std::string>&) {
  std::printf("verify: no ops built yet\n");
  return 0;
}
}  // namespace gs::tools
