// graphstyle: the command line. Each subcommand lives in its own file (tools/cmd_*.cpp) and
// registers itself in tools/commands.h; main only dispatches and turns exceptions into one line.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <graphstyle/graphstyle.hpp>

#include "tools/commands.h"

int main(int argc, char** argv) {
  graphstyle::tune_allocator();  // opted into: large tensors reuse freed heap memory (graphstyle/process.hpp)
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "--version" || args[0] == "version")) {
    std::printf("graphstyle %s (library %s)\n", GRAPHSTYLE_VERSION_STRING, graphstyle::version());
    return 0;
  }
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    gs::tools::print_usage(stdout);
    return args.empty() ? 2 : 0;
  }
  const gs::tools::Command* cmd = gs::tools::find_command(args[0]);
  if (!cmd) {
    std::fprintf(stderr, "graphstyle: unknown command '%s' (try 'graphstyle --help')\n", args[0].c_str());
    return 2;
  }
  try {
    return cmd->run(std::vector<std::string>(args.begin() + 1, args.end()));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "graphstyle %s: error: %s\n", args[0].c_str(), e.what());
    return 1;
  }
}
