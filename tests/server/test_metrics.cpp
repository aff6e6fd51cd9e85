// The Prometheus text of /metrics: counters by route and status, a cumulative histogram, the gauges.
#include "server/metrics.h"

#include <doctest/doctest.h>

TEST_CASE("metrics: requests by status, cumulative latency buckets, gauges, memory") {
  gs::server::Metrics m;
  m.record("/v1/stylize", 200, 0.3);
  m.record("/v1/stylize", 200, 0.7);
  m.record("/v1/stylize", 503, 0.001);
  CHECK(m.mean_seconds("/v1/stylize") == doctest::Approx(0.5));  // of the 200s only
  CHECK(m.mean_seconds("/v1/graph") == 0.0);
  gs::server::Gauges g;
  g.queue_length = 3;
  g.workers_busy = 2;
  const std::string text = m.prometheus(g);
  const auto has = [&](const std::string& line) {
    CAPTURE(line);
    CHECK(text.find(line + "\n") != std::string::npos);
  };
  has("graphstyle_requests_total{route=\"/v1/stylize\",status=\"200\"} 2");
  has("graphstyle_requests_total{route=\"/v1/stylize\",status=\"503\"} 1");
  has("graphstyle_request_seconds_bucket{route=\"/v1/stylize\",le=\"0.05\"} 1");
  has("graphstyle_request_seconds_bucket{route=\"/v1/stylize\",le=\"0.5\"} 2");
  has("graphstyle_request_seconds_bucket{route=\"/v1/stylize\",le=\"1\"} 3");
  has("graphstyle_request_seconds_bucket{route=\"/v1/stylize\",le=\"+Inf\"} 3");
  has("graphstyle_request_seconds_count{route=\"/v1/stylize\"} 3");
  has("graphstyle_queue_length 3");
  has("graphstyle_workers_busy 2");
  CHECK(text.find("# TYPE graphstyle_request_seconds histogram") != std::string::npos);
  CHECK(gs::server::peak_rss_bytes() > 0);
  CHECK(gs::server::rss_bytes() > 0);
}
