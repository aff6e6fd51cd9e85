#include "tools/evaluate/triples.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace gs::tools {

namespace {
std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}
}  // namespace

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false, was_quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"' && trim(fields.back()).empty() && !was_quoted) {
      fields.back().clear();
      quoted = was_quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
      was_quoted = false;
    } else {
      fields.back() += c;
    }
  }
  if (quoted) throw std::invalid_argument("a quoted field is not closed");
  for (std::string& f : fields) f = trim(f);
  return fields;
}

std::vector<Triple> read_triples(const std::string& path) {
  namespace fs = std::filesystem;
  if (!fs::exists(path)) throw std::runtime_error(path + ": no such file");
  if (fs::is_directory(path)) throw std::runtime_error(path + ": is a directory, expected a CSV file of triples");
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open");
  const fs::path base = fs::path(path).parent_path();
  auto resolve = [&](const std::string& p) { return fs::path(p).is_absolute() || base.empty() ? p : (base / p).string(); };
  std::vector<Triple> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    std::vector<std::string> f;
    try {
      f = split_csv_line(line);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(path + " line " + std::to_string(n) + ": " + e.what());
    }
    if (out.empty() && f.size() >= 3 && f[0] == "content" && f[1] == "style" && f[2] == "output") continue;
    if (f.size() < 3 || f.size() > 4)
      throw std::invalid_argument(path + " line " + std::to_string(n) + ": expected content,style,output[,method], got " +
                                  std::to_string(f.size()) + " field" + (f.size() == 1 ? "" : "s"));
    for (size_t i = 0; i < 3; ++i)
      if (f[i].empty())
        throw std::invalid_argument(path + " line " + std::to_string(n) + ": the " +
                                    (i == 0 ? "content" : i == 1 ? "style" : "output") + " path is empty");
    out.push_back({resolve(f[0]), resolve(f[1]), resolve(f[2]), f.size() == 4 && !f[3].empty() ? f[3] : "output", n});
  }
  if (out.empty()) throw std::invalid_argument(path + ": no triples (expected rows content,style,output[,method])");
  return out;
}

}  // namespace gs::tools
