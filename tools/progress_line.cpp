#include "tools/progress_line.h"

#include <unistd.h>

#include <cstdio>

namespace gs::tools {

ProgressLine::ProgressLine(std::string label, int64_t total, std::string unit, bool enabled)
    : label_(std::move(label)), unit_(std::move(unit)), total_(total), enabled_(enabled && isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()), last_draw_(start_ - std::chrono::seconds(1)) {}

ProgressLine::~ProgressLine() { finish(); }

std::string ProgressLine::format(const std::string& label, int64_t done, int64_t total, double seconds,
                                 const std::string& unit, const std::string& note) {
  char buf[256];
  const double rate = seconds > 0 ? double(done) / seconds : 0.0;
  std::string eta = "--:--";
  if (rate > 0 && total > done) {
    const int64_t left = static_cast<int64_t>((total - done) / rate + 0.5);
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", (long long)(left / 3600), (long long)(left / 60 % 60),
                  (long long)(left % 60));
    eta = buf;
  }
  // Slow work reads better as seconds per item than as 0.05 items per second.
  if (rate >= 1.0 || rate == 0.0)
    std::snprintf(buf, sizeof buf, "%s %lld/%lld (%.0f%%) %.2f %s/s ETA %s", label.c_str(), (long long)done,
                  (long long)total, total ? 100.0 * done / total : 100.0, rate, unit.c_str(), eta.c_str());
  else
    std::snprintf(buf, sizeof buf, "%s %lld/%lld (%.0f%%) %.2f s/%s ETA %s", label.c_str(), (long long)done,
                  (long long)total, total ? 100.0 * done / total : 100.0, 1.0 / rate, unit.c_str(), eta.c_str());
  return note.empty() ? std::string(buf) : std::string(buf) + "  " + note;
}

void ProgressLine::update(int64_t done, const std::string& note) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < total_ && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  // \r and clear-to-end-of-line: redraw in place.
  std::fprintf(stderr, "\r%s\033[K", format(label_, done, total_, seconds, unit_, note).c_str());
  std::fflush(stderr);
}

void ProgressLine::finish() {
  if (enabled_ && !finished_) std::fprintf(stderr, "\n");
  finished_ = true;
}

}  // namespace gs::tools
