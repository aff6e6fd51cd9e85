// A one-line progress display for long work: done/total, rate, ETA and a caller's note, redrawn in
// place on a terminal (stderr) at most a few times a second, and silent when stderr is not a terminal
// (logs and CI stay clean; the training loop writes its own CSV log).
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace gs::tools {

class ProgressLine {
 public:
  // Draws only when `enabled` (the caller opts in) and stderr is a terminal.
  ProgressLine(std::string label, int64_t total, std::string unit = "it", bool enabled = true);
  ~ProgressLine();
  void update(int64_t done, const std::string& note = "");
  void finish();  // ends the line
  static std::string format(const std::string& label, int64_t done, int64_t total, double seconds,
                            const std::string& unit, const std::string& note);  // for tests

 private:
  std::string label_, unit_;
  int64_t total_;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace gs::tools
