// The results of an evaluation: one row per (content, style, method), their means per method, and
// the files and table they are written as. Files are written atomically.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include <graphstyle/quality.hpp>

namespace gs::tools {

struct Result {
  std::string content, style, method, output;  // image paths; output empty when not saved
  graphstyle::QualityMetrics metrics;
};

struct MethodSummary {
  std::string method;
  int64_t count = 0;
  graphstyle::QualityMetrics mean;
};

// Means per method, methods in order of first appearance.
std::vector<MethodSummary> summarize(const std::vector<Result>& results);

// content,style,method,output,content_relu4_1,...,ssim: a header and one row per result.
void write_csv(const std::string& path, const std::vector<Result>& results);
// method,count,content_relu4_1,...,ssim: a header and one row of means per method.
void write_summary_csv(const std::string& path, const std::vector<MethodSummary>& summary);
// How the results were made (sizes, models and their settings), as name/value pairs for the JSON.
using Settings = std::vector<std::pair<std::string, std::string>>;

// {"settings": {name: value}, "metrics": [names], "results": [{content, style, method, output,
//  <metric>: value}], "summary": [{method, count, <metric>: mean}]}
void write_json(const std::string& path, const std::vector<Result>& results, const Settings& settings = {});
// A fixed-width table: one line per method, one column per metric.
std::string summary_table(const std::vector<MethodSummary>& summary);

}  // namespace gs::tools
