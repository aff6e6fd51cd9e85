#include "models/strips.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace gs::models {

std::vector<Strip> plan_strips(int64_t rows, int64_t max_rows, int64_t halo) {
  if (rows < 1 || max_rows < 1 || halo < 0)
    throw std::invalid_argument("plan_strips: " + std::to_string(rows) + " rows in strips of at most " +
                                std::to_string(max_rows) + " with halo " + std::to_string(halo));
  // Equal heights waste less halo work than full strips and a short last one.
  const int64_t count = (rows + max_rows - 1) / max_rows;
  std::vector<Strip> strips;
  for (int64_t i = 0; i < count; ++i) {
    const int64_t begin = rows * i / count, end = rows * (i + 1) / count;
    strips.push_back({begin, end, std::max<int64_t>(0, begin - halo), std::min(rows, end + halo)});
  }
  return strips;
}

int64_t strip_rows(int64_t width, int64_t halo, int64_t pixels) {
  return std::max<int64_t>(1, pixels / (8 * std::max<int64_t>(1, width)) - 2 * halo);
}

}  // namespace gs::models
