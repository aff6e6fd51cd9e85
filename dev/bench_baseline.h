// The PyTorch reference's numbers from ../shared/ref/baseline.json (written by ref/bench.py).
// Only what the bench table needs is read: per case the median time, the peak RSS and the phase
// medians. The file's layout is fixed by bench.py, so a small scanner is enough (no JSON library).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gs::tools {

struct BaselineCase {
  double median_s = 0, peak_rss_mb = 0;
  std::vector<std::pair<std::string, double>> phases;  // in the file's order
};

struct Baseline {
  std::map<std::string, BaselineCase> cases;
  std::optional<BaselineCase> find(const std::string& name) const;
};

// Throws with the path and the missing key when the file is not bench.py's output.
Baseline load_baseline(const std::string& path);
// The same from the file's text (for tests).
Baseline parse_baseline(const std::string& text, const std::string& source);

}  // namespace gs::tools
