// Command-line options of one subcommand: `--name value`, `--flag`, `-o value`. Every option is
// declared by asking for it; finish() then rejects anything left over, so a typo is an error that
// names the option instead of being silently ignored.
#pragma once
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace gs::tools {

class Args {
 public:
  Args(std::vector<std::string> args, std::string usage);
  bool help() const;  // --help / -h was given
  const std::string& usage() const { return usage_; }

  std::optional<std::string> value(const std::string& name);  // --name VALUE
  std::vector<std::string> values(const std::string& name);   // every --name VALUE, in order (repeatable)
  std::string get(const std::string& name, const std::string& fallback);
  std::string required(const std::string& name);
  std::string required_output(const std::string& metavar);  // -o FILE or --out FILE
  int64_t get_int(const std::string& name, int64_t fallback, int64_t lo, int64_t hi);
  double get_double(const std::string& name, double fallback, double lo, double hi);
  bool get_on_off(const std::string& name, bool fallback);  // --name on|off
  std::string get_choice(const std::string& name, const std::string& fallback, const std::vector<std::string>& choices);
  bool flag(const std::string& name);                        // --name (no value)
  void finish();  // throws on unknown or repeated options

 private:
  std::vector<std::string> args_;
  std::vector<bool> used_;
  std::string usage_;
};

// Throws when the output path (option `out_option`) names the same file as one of the inputs
// ({option, path}; empty paths are skipped): a run must never overwrite what it reads.
void refuse_output_over_input(const std::string& out_option, const std::string& out,
                              const std::vector<std::pair<std::string, std::string>>& inputs);

}  // namespace gs::tools
