// The cases of ../shared/ref/bench.py, run in this process: same inputs (chicago.jpg and
// starry_night.jpg at exactly S x S: the e2e PNGs at 256, the JPEGs resized at 512), the released
// weights, the seed-1 graph parameters of the fixtures, MODEL.md's default options (p = k = kc = 5,
// deformable, GAT, NCC), no gradients; 2 warm-ups, then `reps` timed runs. Phase names match
// bench.py's so that the two breakdowns can be set side by side.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace gs::ag {
struct Profile;
}

namespace gs::tools {

// bench.py's inference cases, in its order (train_b4_256 is tools/bench_train.cpp's).
const std::vector<std::string>& inference_cases();

// "gnn_512_bf16" -> "gnn_512" (its fp32 twin, and the PyTorch case it compares with); others unchanged.
std::string fp32_case(const std::string& name);

struct CaseResult {
  std::string name;
  std::vector<double> times_s;                         // the timed runs, in order
  std::vector<std::pair<std::string, double>> phases;  // median over the timed runs, in run order
  double peak_rss_mb = 0;                              // VmHWM over the process's whole life (setup included)
  double peak_rss_timed_mb = 0;                        // VmHWM over the timed runs only (reset after the warm-ups)
  double rss_setup_mb = 0;                             // RSS before the first run (weights, inputs, runtime)
  std::vector<std::pair<std::string, double>> phase_ops;  // with a profile: median time in profiled ops per phase
  double median_s() const;
};

// name: kind_S (encoder, graph, gnn, adain; any S >= 64, though only bench.py's have a baseline).
// shared: the ../shared folder (images, weights, fixtures). Throws for an unknown case name.
// With a profile, the timed runs add into it (autograd/profiler.h) and phase_ops is filled.
CaseResult run_case(const std::string& name, const std::string& shared, int warmups, int reps,
                    ag::Profile* profile = nullptr);

// One line, "RESULT name=... times=a,b,c phases=p:v,q:w rss=... rss_timed=... rss_setup=...",
// that the parent process reads back (parse_result_line throws on anything else).
std::string result_line(const CaseResult& r);
CaseResult parse_result_line(const std::string& line);

}  // namespace gs::tools
