#include "server/metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace gs::server {

void Metrics::record(const std::string& route, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++requests_[{route, status}];
  auto& h = histogram_[route];
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  ++h[b];
  auto& sc = sum_count_[route];
  sc.first += seconds;
  ++sc.second;
  if (status == 200) {
    auto& ok = ok_sum_count_[route];
    ok.first += seconds;
    ++ok.second;
  }
}

double Metrics::mean_seconds(const std::string& route) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = ok_sum_count_.find(route);
  return it == ok_sum_count_.end() || !it->second.second ? 0.0 : it->second.first / it->second.second;
}

std::string Metrics::prometheus(const Gauges& g) const {
  std::ostringstream out;
  std::lock_guard<std::mutex> lock(mutex_);
  out << "# HELP graphstyle_requests_total Requests answered, by route and HTTP status.\n"
         "# TYPE graphstyle_requests_total counter\n";
  for (const auto& [key, n] : requests_)
    out << "graphstyle_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << n << "\n";
  out << "# HELP graphstyle_request_seconds Time from a request's arrival to its answer.\n"
         "# TYPE graphstyle_request_seconds histogram\n";
  for (const auto& [route, h] : histogram_) {
    uint64_t cumulative = 0;
    for (size_t b = 0; b < kBuckets.size(); ++b) {
      cumulative += h[b];
      out << "graphstyle_request_seconds_bucket{route=\"" << route << "\",le=\"" << kBuckets[b] << "\"} " << cumulative << "\n";
    }
    cumulative += h[kBuckets.size()];
    out << "graphstyle_request_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << cumulative << "\n";
    const auto& sc = sum_count_.at(route);
    out << "graphstyle_request_seconds_sum{route=\"" << route << "\"} " << sc.first << "\n"
        << "graphstyle_request_seconds_count{route=\"" << route << "\"} " << sc.second << "\n";
  }
  const auto gauge = [&](const char* name, const char* help, double value, const char* type = "gauge") {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n" << name << " " << value << "\n";
  };
  gauge("graphstyle_queue_length", "Jobs waiting for a worker.", double(g.queue_length));
  gauge("graphstyle_queue_capacity", "Jobs that may wait before requests are refused with 503.", double(g.queue_capacity));
  gauge("graphstyle_workers_busy", "Workers running a job.", g.workers_busy);
  gauge("graphstyle_workers", "Worker threads.", g.workers);
  gauge("graphstyle_style_cache_entries", "Encoded styles kept.", double(g.cache_entries));
  gauge("graphstyle_style_cache_bytes", "Memory of the encoded styles kept.", double(g.cache_bytes));
  gauge("graphstyle_style_cache_hits_total", "Styles found encoded.", double(g.cache_hits), "counter");
  gauge("graphstyle_style_cache_misses_total", "Styles encoded anew.", double(g.cache_misses), "counter");
  gauge("graphstyle_resident_memory_bytes", "Resident memory now.", double(rss_bytes()));
  gauge("graphstyle_peak_resident_memory_bytes", "Peak resident memory since the start.", double(peak_rss_bytes()));
  return out.str();
}

int64_t peak_rss_bytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return int64_t{u.ru_maxrss} * 1024;  // kilobytes on Linux
}

int64_t rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

}  // namespace gs::server
