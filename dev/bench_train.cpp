// Seconds per training step (MODEL.md 4) at the real model size: batch 4 and 8 of 256x256 crops,
// p = 5, k = 5, kc = 5, Adam included. The released encoder and decoder weights when
// ../shared/weights has them (random weights otherwise: the timing hardly depends on them), graph
// parameters at MODEL.md's initialisation, random images. Warm-up steps, then the median of 3, with
// the median time of every phase, to set beside ../shared/ref/baseline.json's train_b4_256.
// Several batches or precisions run one after another, each in a process of its own: peak RSS is per
// process, and training keeps every freed block in the heap (tensor/allocator.h), so a second setting
// in the same process would be charged with the first one's heap.
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "autograd/profiler.h"
#include "data/released_weights.h"
#include "dev/bench_cases.h"
#include "dev/child_process.h"
#include "models/init.h"
#include "models/weights.h"
#include "nn/onednn_conv.h"
#include "tensor/allocator.h"
#include "tools/args.h"
#include "train/train_step.h"

namespace gs::tools {

namespace {
const char* kUsage =
    "usage: bench_train [--batch 4,8] [--crop 256] [--warmup 6] [--steps 3] [--weights DIR] [--precision fp32[,bf16]]\n"
    "                   [--profile]\n"
    "  seconds per training step at the real model size (p=5, k=5, kc=5): the median of --steps after --warmup\n"
    "  steps (the heap keeps growing for the first few steps, and its page faults slow them)\n"
    "  --precision: the convolutions' (train --precision); both: each batch in each, and their ratio\n"
    "  --profile (or GRAPHSTYLE_PROFILE=1): also the per-op profile of the timed steps (autograd/profiler.h)\n";

models::Stylizer make_model(const std::string& weights_dir, uint64_t seed) {
  const models::ModelConfig config;
  const std::string vgg = weights_dir + "/vgg_normalised.pth", decoder = weights_dir + "/decoder.pth";
  data::NamedTensors params;
  if (std::filesystem::exists(vgg) && std::filesystem::exists(decoder)) {
    std::printf("weights: %s, %s\n", vgg.c_str(), decoder.c_str());
    params = models::assemble_params(config, data::load_encoder_weights(vgg), models::init_graph_params(config, seed),
                                     data::load_decoder_weights(decoder), weights_dir);
  } else {
    std::printf("weights: random (%s has no vgg_normalised.pth and decoder.pth)\n", weights_dir.c_str());
    Rng rng(seed);
    for (const auto& [name, shape] : models::parameter_shapes(config))
      params.push_back({name, Tensor::randn(shape, rng, 0.02f)});
    const data::NamedTensors graph = models::init_graph_params(config, seed);
    for (auto& [name, t] : params)
      for (const auto& [g, value] : graph)
        if (g == name) t = value;
  }
  return models::Stylizer(config, params);
}

std::vector<int64_t> parse_list(const std::string& text) {
  std::vector<int64_t> out;
  size_t at = 0;
  while (at <= text.size()) {
    const size_t comma = std::min(text.find(',', at), text.size());
    const std::string item = text.substr(at, comma - at);
    if (item.empty() || item.find_first_not_of("0123456789") != std::string::npos || std::stoll(item) < 1)
      throw std::invalid_argument("--batch " + text + ": expected batch sizes like 4,8");
    out.push_back(std::stoll(item));
    at = comma + 1;
  }
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// A child's output: its report printed, its RESULT line (bench_cases.h) read back.
CaseResult relay_child_output(const std::string& out) {
  std::istringstream lines(out);
  std::string line;
  std::optional<CaseResult> result;
  while (std::getline(lines, line))
    if (line.rfind("RESULT ", 0) == 0)
      result = parse_result_line(line);
    else
      std::printf("%s\n", line.c_str());
  if (!result) throw std::runtime_error("bench train: a child process printed no RESULT line");
  return *result;
}

rusage usage_now() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage;
}
}  // namespace

int bench_train(const std::vector<std::string>& argv) {
  Args args(argv, kUsage);
  if (args.help()) {
    std::printf("%s", kUsage);
    return 0;
  }
  const std::vector<int64_t> batches = parse_list(args.get("--batch", "4,8"));
  const int64_t crop = args.get_int("--crop", 256, 40, 4096);
  const int64_t warmup = args.get_int("--warmup", 6, 1, 100);
  const int64_t steps = args.get_int("--steps", 3, 1, 100);
  const std::string weights = args.get("--weights", "../shared/weights");
  const std::string precision_list = args.get("--precision", "fp32");
  std::vector<bool> precisions;  // bf16 or not
  for (size_t at = 0; at <= precision_list.size();) {
    const size_t comma = std::min(precision_list.find(',', at), precision_list.size());
    const std::string p = precision_list.substr(at, comma - at);
    if (p != "fp32" && p != "bf16")
      throw std::invalid_argument("--precision " + precision_list + ": expected fp32, bf16 or both");
    precisions.push_back(p == "bf16");
    at = comma + 1;
  }
  if (std::find(precisions.begin(), precisions.end(), true) != precisions.end() && !nn::bf16_supported())
    std::printf("note: this CPU has no native bf16: the bf16 rows run in fp32\n");
  const char* env_profile = std::getenv("GRAPHSTYLE_PROFILE");
  const bool profile = args.flag("--profile") || (env_profile && std::string(env_profile) == "1");
  args.finish();

  if (batches.size() * precisions.size() > 1) {  // one child process per setting
    for (const int64_t batch : batches) {
      std::vector<double> step_s;
      for (const bool bf16 : precisions) {
        std::vector<std::string> child{"bench",       "train",
                                       "--batch",     std::to_string(batch),
                                       "--crop",      std::to_string(crop),
                                       "--warmup",    std::to_string(warmup),
                                       "--steps",     std::to_string(steps),
                                       "--weights",   weights,
                                       "--precision", bf16 ? "bf16" : "fp32"};
        if (profile) child.push_back("--profile");
        std::fflush(stdout);
        const ChildResult r = run_self(child);
        if (r.exit_code != 0) {
          std::printf("%s", r.out.c_str());
          std::fprintf(stderr, "bench train: the batch %lld %s run failed (exit %d)\n", (long long)batch,
                       bf16 ? "bf16" : "fp32", r.exit_code);
          return 1;
        }
        step_s.push_back(relay_child_output(r.out).median_s());
      }
      if (step_s.size() == 2 && precisions[0] != precisions[1])
        std::printf("batch %lld: bf16 step %.2fx faster than fp32 (one process each, one after the other)\n",
                    (long long)batch, precisions[0] ? step_s[1] / step_s[0] : step_s[0] / step_s[1]);
    }
    return 0;
  }

  // One setting, in this process. Every setting gets the same random images (seed 1) and model.
  const int64_t batch = batches[0];
  const bool bf16 = precisions[0];
  keep_all_freed_memory();     // as graphstyle train does
  train::StepOptions options;  // p = k = kc = 5, lambda = 10
  options.bf16 = bf16;
  Rng rng(1);
  const Tensor content = Tensor::uniform({batch, 3, crop, crop}, rng, 0.f, 1.f);
  const Tensor style = Tensor::uniform({batch, 3, crop, crop}, rng, 0.f, 1.f);
  models::Stylizer model = make_model(weights, 0);
  train::Adam adam(model.params().trainable());
  std::vector<train::StepTimes> times;
  for (int64_t i = 0; i < warmup; ++i) train::train_step(model, adam, content, style, options);
  ag::Profile ops;
  const rusage before = usage_now();
  {
    std::optional<ag::ProfileScope> scope;
    if (profile) scope.emplace(ops);
    for (int64_t i = 0; i < steps; ++i) times.push_back(train::train_step(model, adam, content, style, options).times);
  }
  const rusage after = usage_now();
  // Kernel time and page faults per step: memory handed back and faulted in again shows up here.
  const double sys =
      (after.ru_stime.tv_sec - before.ru_stime.tv_sec) + 1e-6 * (after.ru_stime.tv_usec - before.ru_stime.tv_usec);
  const double faults = double(after.ru_minflt - before.ru_minflt);
  auto phase = [&](double train::StepTimes::*field) {
    std::vector<double> v;
    for (const train::StepTimes& t : times) v.push_back(t.*field);
    return median(v);
  };
  std::vector<double> totals;
  for (const train::StepTimes& t : times) totals.push_back(t.total());
  train::StepTimes m;
  for (auto field : {&train::StepTimes::encode, &train::StepTimes::graph_forward, &train::StepTimes::decode_forward,
                     &train::StepTimes::loss_forward, &train::StepTimes::loss_backward,
                     &train::StepTimes::decode_backward, &train::StepTimes::graph_backward, &train::StepTimes::update})
    m.*field = phase(field);
  std::printf(
      "batch %lld, %lldx%lld, %s: %.2f s/step (median of %lld; %.1f images/s), process peak RSS %.0f MB, "
      "per step %.2f s in the kernel and %.0f page faults\n  %s\n",
      (long long)batch, (long long)crop, (long long)crop, bf16 ? "bf16" : "fp32", median(totals), (long long)steps,
      batch / median(totals), after.ru_maxrss / 1024.0, sys / steps, faults / steps, m.str().c_str());
  CaseResult result;  // for a parent process (several settings)
  result.name = "train_b" + std::to_string(batch) + (bf16 ? "_bf16" : "");
  result.times_s = totals;
  result.peak_rss_mb = after.ru_maxrss / 1024.0;
  if (profile) {
    // The ops' times against the phases': the rest is work outside autograd ops (the frozen
    // encoder's inference passes, the k-NN, Adam's update, the graph's bookkeeping).
    double all = 0;
    for (const train::StepTimes& t : times) all += t.total();
    std::printf("per-op profile of the %lld timed steps: ops %.2f s of %.2f s in the phases (%.0f%%)\n%s",
                (long long)steps, ops.total_s(), all, 100 * ops.total_s() / all, ops.table().c_str());
  }
  std::printf("%s\n", result_line(result).c_str());
  return 0;
}

}  // namespace gs::tools
