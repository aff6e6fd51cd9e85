#include "autograd/profiler.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace gs::ag {

namespace {
thread_local Profile* g_profile = nullptr;
}

Profile* active_profile() { return g_profile; }

ProfileScope::ProfileScope(Profile& profile) : previous_(g_profile) { g_profile = &profile; }
ProfileScope::~ProfileScope() { g_profile = previous_; }

ForwardTimer::ForwardTimer(Op op, double flops) : profile_(g_profile), op_(op), flops_(flops) {
  if (profile_) start_ = std::chrono::steady_clock::now();
}

ForwardTimer::~ForwardTimer() {
  if (!profile_) return;
  OpStats& s = profile_->ops[static_cast<size_t>(op_)];
  s.calls += 1;
  s.forward_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  s.flops += flops_;
}

double Profile::total_s() const {
  double t = 0;
  for (const OpStats& s : ops) t += s.forward_s + s.backward_s;
  return t;
}

std::string Profile::table() const {
  std::vector<size_t> order;
  for (size_t i = 0; i < ops.size(); ++i)
    if (ops[i].calls > 0) order.push_back(i);
  auto time = [&](size_t i) { return ops[i].forward_s + ops[i].backward_s; };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return time(a) > time(b); });
  const double total = total_s();
  std::string out = "op                    calls  forward ms  backward ms  total ms  share  GFLOP/s\n";
  char line[160];
  for (size_t i : order) {
    const OpStats& s = ops[i];
    std::snprintf(line, sizeof line, "%-20s %6lld %11.2f %12.2f %9.2f %5.1f%%", kOps[i].name,
                  static_cast<long long>(s.calls), 1e3 * s.forward_s, 1e3 * s.backward_s, 1e3 * time(i),
                  total > 0 ? 100 * time(i) / total : 0.0);
    out += line;
    if (s.flops > 0 && time(i) > 0) {
      std::snprintf(line, sizeof line, " %8.2f", s.flops / time(i) * 1e-9);
      out += line;
    }
    out += "\n";
  }
  std::snprintf(line, sizeof line, "%-20s %6s %11s %12s %9.2f\n", "all", "", "", "", 1e3 * total);
  out += line;
  for (const auto& [kernel, runs] : kernels) {
    std::snprintf(line, sizeof line, "oneDNN %-48s %6lld runs\n", kernel.c_str(), static_cast<long long>(runs));
    out += line;
  }
  return out;
}

}  // namespace gs::ag
