// The service's counters, rendered as Prometheus text (GET /metrics): requests by route and status,
// a latency histogram, and the gauges the routes pass in (queue length, busy workers, cache use).
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace gs::server {

struct Gauges {
  size_t queue_length = 0, queue_capacity = 0;
  int workers_busy = 0, workers = 0;
  size_t cache_entries = 0, cache_bytes = 0;
  uint64_t cache_hits = 0, cache_misses = 0;
};

class Metrics {
 public:
  // One answered request: its route (/v1/stylize, ...), HTTP status and seconds from arrival to answer.
  void record(const std::string& route, int status, double seconds);
  double mean_seconds(const std::string& route) const;  // of its 200 answers; 0 before the first
  std::string prometheus(const Gauges& gauges) const;

  static constexpr std::array<double, 11> kBuckets = {0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120};

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, std::array<uint64_t, kBuckets.size() + 1>> histogram_;  // per route; last = +Inf
  std::map<std::string, std::pair<double, uint64_t>> sum_count_;
  std::map<std::string, std::pair<double, uint64_t>> ok_sum_count_;
};

// Peak and current resident memory of this process, bytes (getrusage, /proc/self/statm).
int64_t peak_rss_bytes();
int64_t rss_bytes();

}  // namespace gs::server
