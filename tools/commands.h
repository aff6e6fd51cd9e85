// The subcommands of the graphstyle executable.
#pragma once
#include <cstdio>
#include <string>
#include <vector>

namespace gs::tools {

struct Command {
  const char* name;
  const char* summary;  // one line for `graphstyle --help`
  int (*run)(const std::vector<std::string>& args);
};

// nullptr when no command has that name.
const Command* find_command(const std::string& name);
void print_usage(std::FILE* out);

}  // namespace gs::tools
