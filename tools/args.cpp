#include "tools/args.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace gs::tools {

Args::Args(std::vector<std::string> args, std::string usage)
    : args_(std::move(args)), used_(args_.size(), false), usage_(std::move(usage)) {}

bool Args::help() const {
  for (const std::string& a : args_)
    if (a == "--help" || a == "-h") return true;
  return false;
}

std::optional<std::string> Args::value(const std::string& name) {
  std::optional<std::string> found;
  for (size_t i = 0; i < args_.size(); ++i) {
    if (args_[i] != name) continue;
    if (found) throw std::invalid_argument("option " + name + " given twice");
    if (i + 1 >= args_.size()) throw std::invalid_argument("option " + name + " needs a value");
    used_[i] = used_[i + 1] = true;
    found = args_[i + 1];
  }
  return found;
}

std::vector<std::string> Args::values(const std::string& name) {
  std::vector<std::string> found;
  for (size_t i = 0; i < args_.size(); ++i) {
    if (args_[i] != name) continue;
    if (i + 1 >= args_.size()) throw std::invalid_argument("option " + name + " needs a value");
    used_[i] = used_[i + 1] = true;
    found.push_back(args_[i + 1]);
  }
  return found;
}

std::string Args::get(const std::string& name, const std::string& fallback) { return value(name).value_or(fallback); }

std::string Args::required(const std::string& name) {
  auto v = value(name);
  if (!v) throw std::invalid_argument("option " + name + " is required (see --help)");
  return *v;
}

std::string Args::required_output(const std::string& metavar) {
  auto v = value("-o");
  if (!v) v = value("--out");
  if (!v) throw std::invalid_argument("option -o " + metavar + " is required (see --help)");
  return *v;
}

int64_t Args::get_int(const std::string& name, int64_t fallback, int64_t lo, int64_t hi) {
  auto v = value(name);
  if (!v) return fallback;
  char* end = nullptr;
  errno = 0;
  const long long x = std::strtoll(v->c_str(), &end, 10);
  if (v->empty() || *end || errno || x < lo || x > hi)
    throw std::invalid_argument("option " + name + " " + *v + ": expected a whole number in " + std::to_string(lo) +
                                ".." + std::to_string(hi));
  return x;
}

namespace {
// 0.25 as "0.25", 1e-12 as "1e-12" (std::to_string would say 0.000000).
std::string number_text(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}
}  // namespace

double Args::get_double(const std::string& name, double fallback, double lo, double hi) {
  auto v = value(name);
  if (!v) return fallback;
  char* end = nullptr;
  errno = 0;
  const double x = std::strtod(v->c_str(), &end);
  if (v->empty() || *end || errno || !(x >= lo && x <= hi))
    throw std::invalid_argument("option " + name + " " + *v + ": expected a number in [" + number_text(lo) + ", " +
                                number_text(hi) + "]");
  return x;
}

bool Args::get_on_off(const std::string& name, bool fallback) {
  return get_choice(name, fallback ? "on" : "off", {"on", "off"}) == "on";
}

std::string Args::get_choice(const std::string& name, const std::string& fallback,
                             const std::vector<std::string>& choices) {
  const std::string v = get(name, fallback);
  for (const std::string& c : choices)
    if (v == c) return v;
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "" : " | ") + c;
  throw std::invalid_argument("option " + name + " " + v + ": expected " + list);
}

bool Args::flag(const std::string& name) {
  bool found = false;
  for (size_t i = 0; i < args_.size(); ++i)
    if (args_[i] == name) {
      if (found) throw std::invalid_argument("option " + name + " given twice");
      used_[i] = found = true;
    }
  return found;
}

void Args::finish() {
  for (size_t i = 0; i < args_.size(); ++i)
    if (!used_[i])
      throw std::invalid_argument(args_[i].rfind("-", 0) == 0 ? "unknown option " + args_[i] + " (see --help)"
                                                               : "unexpected argument '" + args_[i] + "' (see --help)");
}

void refuse_output_over_input(const std::string& out_option, const std::string& out,
                              const std::vector<std::pair<std::string, std::string>>& inputs) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path out_path = fs::weakly_canonical(out, ec);
  for (const auto& [option, in] : inputs) {
    if (in.empty()) continue;
    std::error_code ec1, ec2;
    // equivalent(): the same inode (hard links, bind mounts); weakly_canonical: the same name.
    const bool same = fs::equivalent(out, in, ec1) || (!ec && fs::weakly_canonical(in, ec2) == out_path && !ec2);
    if (same)
      throw std::invalid_argument("option " + out_option + " " + out + " names the same file as " + option + " " + in +
                                  ": refusing to overwrite an input");
  }
}

}  // namespace gs::tools
