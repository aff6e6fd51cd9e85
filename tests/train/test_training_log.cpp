#include <doctest/doctest.h>

#include <cmath>
#include <fstream>

#include "data/test_files.h"
#include "train/training_log.h"

using gs::train::LogRow;
using gs::train::TrainingLog;

TEST_CASE("training log: rows round-trip exactly; a resumed run drops the rows after its checkpoint") {
  gs::test::TempDir dir;
  const std::string path = dir.file("log.csv");
  {
    TrainingLog log(path, 0);
    for (int64_t s = 1; s <= 5; ++s)
      log.append({s, 1e-4 / (1 + 5e-5 * double(s - 1)), 1.f / 3 + float(s), 0.1f, NAN, 0.5, 0});
  }
  auto rows = TrainingLog::read(path);
  REQUIRE(rows.size() == 5);
  CHECK(rows[2].loss == 1.f / 3 + 3.f);  // 9 significant digits: the float itself
  CHECK(std::isnan(rows[2].loss_style));
  std::ofstream(path, std::ios::app) << "6,0.0001,1.5,";  // torn by a crash mid-write
  CHECK(TrainingLog::read(path).size() == 5);
  {
    TrainingLog log(path, 3);  // resumed from a checkpoint at step 3
    log.append({4, 1e-4, 9.f, 1.f, 0.8f, 0.5, 2, 0.125});
  }
  rows = TrainingLog::read(path);
  REQUIRE(rows.size() == 4);
  CHECK(rows[3].loss == 9.f);
  CHECK(rows[3].skipped_files == 2);
  CHECK(rows[3].reduce_seconds == 0.125);
  CHECK(gs::test::read_file(path).rfind("step,lr,loss,loss_content,loss_style,seconds,skipped_files,reduce_seconds\n",
                                        0) == 0);
  TrainingLog fresh(path, 0);  // a new run starts over
  CHECK(TrainingLog::read(path).empty());
}

TEST_CASE("training log: a log from before reduce_seconds resumes, its rows kept with a wait of 0") {
  gs::test::TempDir dir;
  const std::string path = dir.file("log.csv");
  std::ofstream(path) << "step,lr,loss,loss_content,loss_style,seconds,skipped_files\n"
                         "1,0.0001,12.5,3,0.95,5.100,0\n"
                         "2,0.0001,11.5,3,0.85,5.000,1\n"
                         "3,0.0001,10.5,3,0.75,5.000,1,extra\n";  // neither form
  {
    TrainingLog log(path, 2);
    log.append({3, 1e-4, 10.f, 3.f, 0.7f, 5.0, 1, 0.25});
  }
  const auto rows = TrainingLog::read(path);
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].loss == 11.5f);
  CHECK(rows[1].skipped_files == 1);
  CHECK(rows[1].reduce_seconds == 0);
  CHECK(rows[2].reduce_seconds == 0.25);
}
