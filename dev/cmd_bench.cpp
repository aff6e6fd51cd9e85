// graphstyle-dev bench: timings on this machine beside the PyTorch reference's (../shared/ref/bench.py,
// whose results are ../shared/ref/baseline.json). Every case of bench.py runs in a child process of
// its own (peak RSS is per process), with the same inputs, threads, warm-ups and repetitions; the
// table gives both medians, the speed-up (PyTorch / ours) and both peak RSS. A benchmark, not a test.
#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tools/args.h"
#include "dev/bench_baseline.h"
#include "dev/bench_cases.h"
#include "dev/child_process.h"
#include "autograd/profiler.h"

namespace gs::tools {

int bench_conv(const std::vector<std::string>& args);
int bench_message_passing(const std::vector<std::string>& args);
int bench_knn(const std::vector<std::string>& args);
int bench_train(const std::vector<std::string>& args);

namespace {

const char* kUsage =
    "usage: graphstyle-dev bench [all|encoder|graph|gnn|adain|bf16|conv|knn|message-passing|train] [options]\n"
    "  all, encoder, graph, gnn, adain: the cases of ../shared/ref/bench.py (encoder_256/512,\n"
    "      graph_256/512, gnn_256/512, adain_512), each in its own process, 2 warm-ups + median,\n"
    "      beside PyTorch's numbers from the baseline (default: all); encoder_512_bf16 and\n"
    "      gnn_512_bf16 run the encoder and decoder in bf16 (--precision bf16), beside fp32;\n"
    "  bf16: only those and their fp32 twins\n"
    "  conv, knn, message-passing, train: the component benchmarks (their own options follow)\n"
    "  --baseline FILE   PyTorch's results (default: SHARED/ref/baseline.json)\n"
    "  --reps N          timed runs per case (5); --warmup N warm-up runs (2)\n"
    "  --threads N       OpenMP threads, for oneDNN too (2, as bench.py)\n"
    "  --retries N       run a case again, up to N times, while other processes keep the CPU busy (2)\n"
    "  --shared DIR      the shared folder with images/, weights/, fixtures/ (default:\n"
    "                    $GRAPHSTYLE_SHARED or ../shared)\n"
    "  --case NAME       run one case (kind_S: encoder_512, gnn_1024, ...) in this process and print\n"
    "                    its RESULT line (what the parent runs in each child)\n"
    "  --profile         with --case: the per-op profile of the timed runs (autograd/profiler.h) and,\n"
    "                    per phase, how much of its median time the profiled ops account for\n";

std::string default_shared() {
  const char* env = std::getenv("GRAPHSTYLE_SHARED");
  return env ? env : "../shared";
}

std::string first_line_of(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

// CPU seconds spent busy (all cores, anything but idle and iowait) since boot, from /proc/stat.
double busy_cpu_seconds() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  long long v[8] = {};
  in >> cpu;
  for (long long& x : v) in >> x;
  const long long busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];  // user nice system irq softirq steal
  return static_cast<double>(busy) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::vector<std::string> cases_of(const std::string& group) {
  if (group == "all") return inference_cases();
  std::vector<std::string> out;
  if (group == "bf16") {  // the bf16 cases and their fp32 twins
    for (const std::string& c : inference_cases())
      if (c != fp32_case(c)) out.insert(out.end(), {fp32_case(c), c});
    return out;
  }
  for (const std::string& c : inference_cases())
    if (c.rfind(group + "_", 0) == 0) out.push_back(c);
  return out;
}

// others: cores kept busy by other processes meanwhile (0 on a quiet machine; 1 means our two
// threads shared the CPU with one busy process, and the times are not worth comparing).
void print_row(const CaseResult& r, const std::optional<BaselineCase>& ref, double others, int runs) {
  std::printf("%-12s %9.3f", r.name.c_str(), r.median_s());
  if (ref)
    std::printf(" %9.3f %8.1fx", ref->median_s, ref->median_s / r.median_s());
  else
    std::printf(" %9s %9s", "-", "-");
  std::printf(" %9.0f", r.peak_rss_mb);
  if (ref)
    std::printf(" %10.0f %9.2f", ref->peak_rss_mb, r.peak_rss_mb / ref->peak_rss_mb);
  else
    std::printf(" %10s %9s", "-", "-");
  std::printf(" %9.2f %4d\n", others, runs);
}

// Per phase: the median wall time, the median time inside profiled ops, their ratio; then the ops.
void print_profiled_phases(const CaseResult& r, const ag::Profile& ops, int reps) {
  std::printf("\nphase                 median s   in ops s   ops / phase\n");
  for (const auto& [phase, t] : r.phases)
    for (const auto& [p, in_ops] : r.phase_ops)
      if (p == phase) std::printf("%-20s %9.3f %10.3f %9.0f%%\n", phase.c_str(), t, in_ops, t > 0 ? 100 * in_ops / t : 0.0);
  std::printf("\nper-op profile of the %d timed runs:\n%s", reps, ops.table().c_str());
}

void print_phases(const CaseResult& r, const std::optional<BaselineCase>& ref) {
  if (r.phases.empty()) return;
  std::printf("  %s:", r.name.c_str());
  for (const auto& [phase, t] : r.phases) {
    std::printf(" %s %.3f", phase.c_str(), t);
    if (ref)
      for (const auto& [p, pt] : ref->phases)
        if (p == phase) std::printf(" (%.1fx)", pt / t);
  }
  std::printf("\n");
}

struct Settings {
  std::string shared, baseline;
  int warmup, reps, threads, retries;
};

// One case in a child process, and how busy the rest of the machine was meanwhile.
struct Measured {
  CaseResult result;
  double others;  // cores kept busy by other processes during the case
  int runs;       // how many times the case ran (retries when the machine was busy)
};

// A case counts as measured on a quiet machine when others kept less than this busy.
constexpr double kQuiet = 0.2;

std::optional<Measured> measure(const std::string& c, const Settings& s) {
  std::optional<Measured> best;
  for (int attempt = 0; attempt <= s.retries; ++attempt) {
    std::fprintf(stderr, "%s ...%s\n", c.c_str(), attempt ? " again: the machine was busy" : "");
    const double busy0 = busy_cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    const ChildResult child = run_self({"bench", "--case", c, "--shared", s.shared, "--reps", std::to_string(s.reps),
                                        "--warmup", std::to_string(s.warmup), "--threads", std::to_string(s.threads)});
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double others = std::max(0.0, (busy_cpu_seconds() - busy0 - child.cpu_s) / wall);
    const size_t at = child.out.find("RESULT ");
    if (child.exit_code != 0 || at == std::string::npos) {
      std::fprintf(stderr, "bench: case %s failed (exit %d)\n", c.c_str(), child.exit_code);
      return std::nullopt;
    }
    CaseResult r = parse_result_line(child.out.substr(at, child.out.find('\n', at) - at));
    if (r.peak_rss_mb == 0) r.peak_rss_mb = child.max_rss_mb;  // no /proc/self/status: the kernel's figure
    if (!best || others < best->others) best = Measured{r, others, 0};
    best->runs = attempt + 1;
    if (others < kQuiet) break;
  }
  return best;
}

// The parent: one child per case, then the table.
int run_cases(const std::vector<std::string>& cases, const Settings& s) {
  Baseline baseline;
  try {
    baseline = load_baseline(s.baseline);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench: %s; printing our numbers only\n", e.what());
  }
  std::printf("graphstyle-dev bench: %s, %d threads, %d warm-ups + median of %d, load average before: %s\n",
              cpu_model().c_str(), s.threads, s.warmup, s.reps, first_line_of("/proc/loadavg").c_str());
  std::fflush(stdout);
  std::vector<Measured> measured;
  for (const std::string& c : cases)
    if (auto m = measure(c, s)) measured.push_back(*m);
  std::vector<CaseResult> results;
  for (const Measured& m : measured) results.push_back(m.result);

  std::printf("\n%-12s %9s %9s %9s %9s %9s %9s %9s %4s\n", "case", "ours s", "PyTorch s", "speed-up", "ours MB",
              "PyTorch MB", "RSS ratio", "others", "runs");
  for (const Measured& m : measured) print_row(m.result, baseline.find(fp32_case(m.result.name)), m.others, m.runs);
  bool any_bf16 = false;
  for (const CaseResult& r : results)
    for (const CaseResult& f : results)
      if (r.name != f.name && fp32_case(r.name) == f.name) {
        if (!any_bf16) std::printf("\nbf16 against our fp32 (same run): speed-up fp32 / bf16, RSS bf16 / fp32\n");
        any_bf16 = true;
        std::printf("  %-16s %5.2fx  RSS %.2f\n", r.name.c_str(), f.median_s() / r.median_s(), r.peak_rss_mb / f.peak_rss_mb);
      }
  bool any_phases = false;
  for (const CaseResult& r : results) any_phases |= !r.phases.empty();
  if (any_phases) std::printf("\nphases, median s (speed-up PyTorch / ours):\n");
  for (const CaseResult& r : results) print_phases(r, baseline.find(r.name));
  std::printf(
      "\npeak RSS = the case process's whole life (weights and setup included), as bench.py's peak_rss_mb;\n"
      "timed-runs-only peaks:");
  for (const CaseResult& r : results) std::printf(" %s %.0f", r.name.c_str(), r.peak_rss_timed_mb);
  std::printf(
      " MB\nothers = cores kept busy by other processes during the case (0 = quiet; this machine has %ld); a case\n"
      "run while others >= %.1f is run again, up to --retries times, and the quietest run is shown\n"
      "load average after: %s\n",
      sysconf(_SC_NPROCESSORS_ONLN), kQuiet, first_line_of("/proc/loadavg").c_str());
  return measured.size() == cases.size() ? 0 : 1;
}

}  // namespace

int run_bench(const std::vector<std::string>& argv) {
  // Component benchmarks take their own options.
  std::string what = "all";
  std::vector<std::string> rest = argv;
  if (!argv.empty() && argv[0].rfind("-", 0) != 0) {
    what = argv[0];
    rest.erase(rest.begin());
  }
  if (what == "conv" || what == "knn" || what == "message-passing" || what == "train") {
    omp_set_num_threads(2);  // as bench.py; OMP_NUM_THREADS does not override this
    if (what == "conv") return bench_conv(rest);
    if (what == "knn") return bench_knn(rest);
    if (what == "message-passing") return bench_message_passing(rest);
    return bench_train(rest);
  }

  Args args(rest, kUsage);
  if (args.help()) {
    std::printf("%s", kUsage);
    return 0;
  }
  const std::string shared = args.get("--shared", default_shared());
  const std::string baseline = args.get("--baseline", shared + "/ref/baseline.json");
  const int reps = static_cast<int>(args.get_int("--reps", 5, 1, 1000));
  const int warmup = static_cast<int>(args.get_int("--warmup", 2, 0, 1000));
  const int threads = static_cast<int>(args.get_int("--threads", 2, 1, 1024));
  const int retries = static_cast<int>(args.get_int("--retries", 2, 0, 100));
  const auto one_case = args.value("--case");
  const bool profile = args.flag("--profile");
  args.finish();
  if (profile && !one_case) throw std::invalid_argument("--profile needs --case NAME (one case, run in this process)");
  omp_set_num_threads(threads);

  if (one_case) {
    ag::Profile ops;
    const CaseResult r = run_case(*one_case, shared, warmup, reps, profile ? &ops : nullptr);
    std::printf("%s\n", result_line(r).c_str());
    if (profile) print_profiled_phases(r, ops, reps);
    return 0;
  }
  const std::vector<std::string> cases = cases_of(what);
  if (cases.empty())
    throw std::invalid_argument("bench " + what +
                                ": unknown (use all, encoder, graph, gnn, adain, bf16, conv, knn, message-passing or train)");
  return run_cases(cases, Settings{shared, baseline, warmup, reps, threads, retries});
}

}  // namespace gs::tools
