#include "train/training_log.h"

#include <cinttypes>
#include <fstream>
#include <stdexcept>

#include "data/atomic_file.h"

namespace gs::train {

namespace {
const char* kHeader = "step,lr,loss,loss_content,loss_style,seconds,skipped_files,reduce_seconds";

std::string format_row(const LogRow& r) {
  char line[256];
  std::snprintf(line, sizeof line, "%" PRId64 ",%.6g,%.9g,%.9g,%.9g,%.3f,%" PRId64 ",%.3f", r.step, r.lr,
                double(r.loss), double(r.loss_content), double(r.loss_style), r.seconds, r.skipped_files,
                r.reduce_seconds);
  return line;
}

bool parse_row(const std::string& line, LogRow& r) {
  double loss, content, style;
  int used = 0;
  const int n = std::sscanf(line.c_str(), "%" SCNd64 ",%lf,%lf,%lf,%lf,%lf,%" SCNd64 "%n", &r.step, &r.lr, &loss,
                            &content, &style, &r.seconds, &r.skipped_files, &used);
  if (n != 7) return false;
  int more = 0;  // reduce_seconds, absent from older logs
  if (used != static_cast<int>(line.size()) &&
      (std::sscanf(line.c_str() + used, ",%lf%n", &r.reduce_seconds, &more) != 1 ||
       used + more != static_cast<int>(line.size())))
    return false;
  r.loss = static_cast<float>(loss), r.loss_content = static_cast<float>(content),
  r.loss_style = static_cast<float>(style);
  return true;
}
}  // namespace

std::vector<LogRow> TrainingLog::read(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot read the training log");
  std::vector<LogRow> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    LogRow r;
    if (parse_row(line, r)) rows.push_back(r);
  }
  return rows;
}

TrainingLog::TrainingLog(std::string path, int64_t keep_through_step) : path_(std::move(path)) {
  std::vector<LogRow> kept;
  if (keep_through_step > 0 && std::ifstream(path_))
    for (const LogRow& r : read(path_))
      if (r.step <= keep_through_step) kept.push_back(r);
  {
    // Rewritten atomically: a crash here must not lose the log of the steps already trained.
    data::AtomicFile out(path_);
    std::FILE* f = std::fopen(out.temp_path().c_str(), "w");
    if (!f) throw std::runtime_error(path_ + ": cannot write the training log");
    std::fprintf(f, "%s\n", kHeader);
    for (const LogRow& r : kept) std::fprintf(f, "%s\n", format_row(r).c_str());
    const bool ok = std::fclose(f) == 0;
    if (!ok) throw std::runtime_error(path_ + ": cannot write the training log");
    out.commit();
  }
  file_ = std::fopen(path_.c_str(), "a");
  if (!file_) throw std::runtime_error(path_ + ": cannot append to the training log");
}

TrainingLog::~TrainingLog() {
  if (file_) std::fclose(file_);
}

void TrainingLog::append(const LogRow& row) {
  if (std::fprintf(file_, "%s\n", format_row(row).c_str()) < 0 || std::fflush(file_) != 0)
    throw std::runtime_error(path_ + ": cannot append to the training log (disk full?)");
}

}  // namespace gs::train
