// The training log, DIR/log.csv: a header and one row per step
//   step,lr,loss,loss_content,loss_style,seconds,skipped_files,reduce_seconds
// (step counts from 1; lr is the rate used by that step; seconds its wall time, data wait included;
// skipped_files the unreadable images met so far, on every rank; reduce_seconds the part of `seconds`
// spent waiting, after the backward, for the gradients averaged over data-parallel ranks, 0 on one
// process). Logs written before reduce_seconds existed (7 columns) are read with it 0. Losses are printed with 9 significant digits, enough
// to round-trip a float exactly, so two runs can be compared row by row.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace gs::train {

struct LogRow {
  int64_t step = 0;
  double lr = 0;
  float loss = 0, loss_content = 0, loss_style = 0;
  double seconds = 0;
  int64_t skipped_files = 0;
  double reduce_seconds = 0;
};

class TrainingLog {
 public:
  // A fresh run (keep_through_step = 0) starts a new file. A resumed run keeps the rows up to its
  // checkpoint's step and drops the later ones: an interrupted run may have logged steps after its last
  // checkpoint, and the resumed run repeats exactly those steps.
  TrainingLog(std::string path, int64_t keep_through_step);
  ~TrainingLog();
  TrainingLog(const TrainingLog&) = delete;
  TrainingLog& operator=(const TrainingLog&) = delete;

  void append(const LogRow& row);  // written through at once
  const std::string& path() const { return path_; }

  // The rows of a log file; a torn last line (a crash mid-write) is ignored.
  static std::vector<LogRow> read(const std::string& path);

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
};

}  // namespace gs::train
