// One stylization as a worker runs it: decode the uploads, size them as the stylize command does,
// take the style's features from the cache (or encode them), stylize, and encode the answer (the
// image, or the graph as JSON). Bad uploads become RequestErrors naming the field.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

#include <graphstyle/graphstyle.hpp>

#include "server/form.h"
#include "server/style_cache.h"

namespace gs::server {

struct Answer {
  int status = 200;
  std::string content_type, body;
};

struct JobLimits {
  int64_t max_pixels = 4'194'304;  // per image, decoded and after sizing
  int64_t max_side = 8192;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

using StyleCache = LruCache<graphstyle::StyleFeatures>;

// Throws RequestError for what is wrong with the request (4xx, or 503 when the deadline passes).
Answer run_stylize_job(const graphstyle::Model& model, graphstyle::Context& context, const StylizeRequest& request,
                       StyleCache& cache, const JobLimits& limits, bool graph, int threads);

}  // namespace gs::server
