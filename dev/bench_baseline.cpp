#include "dev/bench_baseline.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace gs::tools {

namespace {

// The end of the JSON object that opens at text[open] (a '{'); strings may hold braces.
size_t object_end(const std::string& text, size_t open) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = open; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return i;
    }
  }
  return std::string::npos;
}

// The object value of "key" inside text[from, to), as [open brace, close brace], or npos.
std::pair<size_t, size_t> object_of(const std::string& text, const std::string& key, size_t from, size_t to) {
  const size_t at = text.find("\"" + key + "\"", from);
  if (at == std::string::npos || at >= to) return {std::string::npos, std::string::npos};
  const size_t open = text.find('{', at);
  if (open == std::string::npos || open >= to) return {std::string::npos, std::string::npos};
  return {open, object_end(text, open)};
}

// The number after "key": inside text[from, to).
std::optional<double> number_of(const std::string& text, const std::string& key, size_t from, size_t to) {
  const size_t at = text.find("\"" + key + "\"", from);
  if (at == std::string::npos || at >= to) return std::nullopt;
  const size_t colon = text.find(':', at);
  char* end = nullptr;
  const double v = std::strtod(text.c_str() + colon + 1, &end);
  if (end == text.c_str() + colon + 1) return std::nullopt;
  return v;
}

}  // namespace

std::optional<BaselineCase> Baseline::find(const std::string& name) const {
  auto it = cases.find(name);
  if (it == cases.end()) return std::nullopt;
  return it->second;
}

Baseline parse_baseline(const std::string& text, const std::string& source) {
  const auto [open, close] = object_of(text, "results", 0, text.size());
  if (open == std::string::npos || close == std::string::npos)
    throw std::runtime_error(source + ": no \"results\" object (expected ref/bench.py's baseline.json)");
  Baseline b;
  // Each member of "results" is "case": { ... }.
  size_t at = open + 1;
  while (true) {
    const size_t q0 = text.find('"', at);
    if (q0 == std::string::npos || q0 >= close) break;
    const size_t q1 = text.find('"', q0 + 1);
    const std::string name = text.substr(q0 + 1, q1 - q0 - 1);
    const size_t obj = text.find('{', q1);
    const size_t obj_end = object_end(text, obj);
    if (obj == std::string::npos || obj_end == std::string::npos || obj_end > close)
      throw std::runtime_error(source + ": results." + name + " is not an object");
    BaselineCase c;
    const auto median = number_of(text, "median_s", obj, obj_end);
    const auto rss = number_of(text, "peak_rss_mb", obj, obj_end);
    if (median && rss) {  // a case that failed in bench.py has an "error" instead
      c.median_s = *median;
      c.peak_rss_mb = *rss;
      const auto [p0, p1] = object_of(text, "phases_median_s", obj, obj_end);
      for (size_t k = p0 == std::string::npos ? p1 : p0 + 1; k < p1;) {
        const size_t k0 = text.find('"', k);
        if (k0 == std::string::npos || k0 >= p1) break;
        const size_t k1 = text.find('"', k0 + 1);
        const std::string phase = text.substr(k0 + 1, k1 - k0 - 1);
        c.phases.push_back({phase, number_of(text, phase, k0, p1).value_or(0)});
        k = text.find_first_of(",}", k1);
        if (k == std::string::npos) break;
        ++k;
      }
      b.cases[name] = c;
    }
    at = obj_end + 1;
  }
  return b;
}

Baseline load_baseline(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("--baseline " + path + ": cannot open (it is ../shared/ref/baseline.json)");
  std::stringstream s;
  s << in.rdbuf();
  return parse_baseline(s.str(), path);
}

}  // namespace gs::tools
