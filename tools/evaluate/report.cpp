#include "tools/evaluate/report.h"

#include <cstdio>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include <graphstyle/files.hpp>

namespace gs::tools {

namespace {

// A CSV field: quoted when it holds a comma, quote or line break (RFC 4180).
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

nlohmann::ordered_json metrics_json(const graphstyle::QualityMetrics& m) {
  nlohmann::ordered_json j;
  const auto v = m.values();
  for (int i = 0; i < graphstyle::QualityMetrics::count; ++i) j[graphstyle::QualityMetrics::names()[i]] = v[i];
  return j;
}

}  // namespace

std::vector<MethodSummary> summarize(const std::vector<Result>& results) {
  std::vector<MethodSummary> out;
  std::vector<std::array<double, graphstyle::QualityMetrics::count>> sums;
  for (const Result& r : results) {
    size_t i = 0;
    while (i < out.size() && out[i].method != r.method) ++i;
    if (i == out.size()) {
      out.push_back({r.method, 0, {}});
      sums.push_back({});
    }
    ++out[i].count;
    const auto v = r.metrics.values();
    for (int m = 0; m < graphstyle::QualityMetrics::count; ++m) sums[i][m] += v[m];
  }
  for (size_t i = 0; i < out.size(); ++i) {
    for (double& s : sums[i]) s /= static_cast<double>(out[i].count);
    out[i].mean = graphstyle::QualityMetrics::from_values(sums[i]);
  }
  return out;
}

void write_csv(const std::string& path, const std::vector<Result>& results) {
  std::string text = "content,style,method,output";
  for (const char* name : graphstyle::QualityMetrics::names()) text.append(",").append(name);
  text += '\n';
  for (const Result& r : results) {
    for (const std::string* field : {&r.content, &r.style, &r.method, &r.output})
      text.append(field == &r.content ? "" : ",").append(csv_field(*field));
    for (double v : r.metrics.values()) text.append(",").append(number(v));
    text += '\n';
  }
  graphstyle::write_file(path, text);
}

void write_summary_csv(const std::string& path, const std::vector<MethodSummary>& summary) {
  std::string text = "method,count";
  for (const char* name : graphstyle::QualityMetrics::names()) text.append(",").append(name);
  text += '\n';
  for (const MethodSummary& s : summary) {
    text.append(csv_field(s.method)).append(",").append(std::to_string(s.count));
    for (double v : s.mean.values()) text.append(",").append(number(v));
    text += '\n';
  }
  graphstyle::write_file(path, text);
}

void write_json(const std::string& path, const std::vector<Result>& results, const Settings& settings) {
  nlohmann::ordered_json j;
  j["settings"] = nlohmann::ordered_json::object();
  for (const auto& [name, value] : settings) j["settings"][name] = value;
  j["metrics"] = graphstyle::QualityMetrics::names();
  j["results"] = nlohmann::ordered_json::array();
  for (const Result& r : results) {
    nlohmann::ordered_json row = {{"content", r.content}, {"style", r.style}, {"method", r.method}, {"output", r.output}};
    row.update(metrics_json(r.metrics));
    j["results"].push_back(row);
  }
  j["summary"] = nlohmann::ordered_json::array();
  for (const MethodSummary& s : summarize(results)) {
    nlohmann::ordered_json row = {{"method", s.method}, {"count", s.count}};
    row.update(metrics_json(s.mean));
    j["summary"].push_back(row);
  }
  graphstyle::write_file(path, j.dump(2) + "\n");
}

std::string summary_table(const std::vector<MethodSummary>& summary) {
  size_t width = 6;
  for (const MethodSummary& s : summary) width = std::max(width, s.method.size());
  char line[512];
  std::snprintf(line, sizeof line, "%-*s %5s %15s %15s %10s %13s %13s %7s\n", static_cast<int>(width), "method", "pairs",
                "content_relu4_1", "content_relu3_1", "style", "local_relu3_1", "local_relu4_1", "ssim");
  std::string text = line;
  for (const MethodSummary& s : summary) {
    const graphstyle::QualityMetrics& m = s.mean;
    std::snprintf(line, sizeof line, "%-*s %5lld %15.4f %15.4f %10.4f %13.4f %13.4f %7.4f\n", static_cast<int>(width),
                  s.method.c_str(), static_cast<long long>(s.count), m.content_relu4_1, m.content_relu3_1, m.style,
                  m.local_relu3_1, m.local_relu4_1, m.ssim);
    text += line;
  }
  return text;
}

}  // namespace gs::tools
