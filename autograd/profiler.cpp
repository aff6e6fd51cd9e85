#include "autograd/profiler.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace gs::ag {

namespace {
thread_local Profile* g_profile = nullptr;

constexpr const char* kKernelNames[] = {
#define GS_KERNEL_NAME(name, function, file) #name,
    GS_INFERENCE_KERNELS(GS_KERNEL_NAME)
#undef GS_KERNEL_NAME
};
static_assert(sizeof(kKernelNames) / sizeof(kKernelNames[0]) == static_cast<size_t>(Kernel::count), "one name per Kernel");

double elapsed_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void add_stats(OpStats& into, const OpStats& s) {
  into.calls += s.calls;
  into.forward_s += s.forward_s;
  into.backward_s += s.backward_s;
  into.flops += s.flops;
}
}  // namespace

const char* kernel_name(Kernel kernel) { return kKernelNames[static_cast<size_t>(kernel)]; }

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
  s.forward_s += elapsed_since(start_);
  s.flops += flops_;
}

KernelTimer::KernelTimer(Kernel kernel, double flops) : profile_(g_profile), kernel_(kernel), flops_(flops) {
  if (profile_) start_ = std::chrono::steady_clock::now();
}

KernelTimer::~KernelTimer() {
  if (!profile_) return;
  OpStats& s = profile_->inference[static_cast<size_t>(kernel_)];
  s.calls += 1;
  s.forward_s += elapsed_since(start_);
  s.flops += flops_;
}

double Profile::total_s() const {
  double t = 0;
  for (const OpStats& s : ops) t += s.forward_s + s.backward_s;
  for (const OpStats& s : inference) t += s.forward_s;
  return t;
}

bool Profile::empty() const {
  for (const OpStats& s : ops)
    if (s.calls) return false;
  for (const OpStats& s : inference)
    if (s.calls) return false;
  return kernels.empty() && stages.empty();
}

void Profile::add_stage(const std::string& name, double seconds) {
  for (auto& [n, t] : stages)
    if (n == name) {
      t += seconds;
      return;
    }
  stages.push_back({name, seconds});
}

void Profile::add(const Profile& other) {
  for (size_t i = 0; i < ops.size(); ++i) add_stats(ops[i], other.ops[i]);
  for (size_t i = 0; i < inference.size(); ++i) add_stats(inference[i], other.inference[i]);
  for (const auto& [kernel, runs] : other.kernels) kernels[kernel] += runs;
  for (const auto& [name, seconds] : other.stages) add_stage(name, seconds);
}

std::string Profile::table() const {
  struct Row {
    const char* name;
    const OpStats* s;
    double time() const { return s->forward_s + s->backward_s; }
  };
  std::vector<Row> rows;
  for (size_t i = 0; i < ops.size(); ++i)
    if (ops[i].calls > 0) rows.push_back({kOps[i].name, &ops[i]});
  for (size_t i = 0; i < inference.size(); ++i)
    if (inference[i].calls > 0) rows.push_back({kKernelNames[i], &inference[i]});
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.time() > b.time(); });
  const double total = total_s();
  std::string out = "op                    calls  forward ms  backward ms  total ms  share  GFLOP/s\n";
  char line[160];
  for (const Row& r : rows) {
    std::snprintf(line, sizeof line, "%-20s %6lld %11.2f %12.2f %9.2f %5.1f%%", r.name,
                  static_cast<long long>(r.s->calls), 1e3 * r.s->forward_s, 1e3 * r.s->backward_s, 1e3 * r.time(),
                  total > 0 ? 100 * r.time() / total : 0.0);
    out += line;
    if (r.s->flops > 0 && r.time() > 0) {
      std::snprintf(line, sizeof line, " %8.2f", r.s->flops / r.time() * 1e-9);
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
  if (stages.empty()) return out;
  double staged = 0;
  for (const auto& [name, seconds] : stages) staged += seconds;
  out += "stage                        ms  share\n";
  for (const auto& [name, seconds] : stages) {
    std::snprintf(line, sizeof line, "%-20s %9.2f %5.1f%%\n", name.c_str(), 1e3 * seconds,
                  staged > 0 ? 100 * seconds / staged : 0.0);
    out += line;
  }
  std::snprintf(line, sizeof line, "%-20s %9.2f\n", "all stages", 1e3 * staged);
  return out + line;
}

}  // namespace gs::ag
