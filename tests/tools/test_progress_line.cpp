#include <doctest/doctest.h>

#include "tools/progress_line.h"

TEST_CASE("progress line: rate and ETA") {
  using gs::tools::ProgressLine;
  CHECK(ProgressLine::format("train", 10, 100, 5.0, "step", "loss 1.5") ==
        "train 10/100 (10%) 2.00 step/s ETA 0:00:45  loss 1.5");
  CHECK(ProgressLine::format("train", 2, 4, 10.0, "step", "") == "train 2/4 (50%) 5.00 s/step ETA 0:00:10");
  CHECK(ProgressLine::format("x", 0, 4, 0.0, "it", "") == "x 0/4 (0%) 0.00 it/s ETA --:--");
}
