#include "dev/bench_cases.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "autograd/profiler.h"
#include "data/image.h"
#include "data/released_weights.h"
#include "models/graph_stage.h"
#include "models/inference.h"
#include "models/stylizer.h"
#include "models/weights.h"
#include "nn/statistics.h"

namespace gs::tools {

namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// A field of /proc/self/status in MB ("VmHWM", "VmRSS"); 0 if the kernel does not report it.
double status_mb(const std::string& key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key + ":", 0) == 0) return std::stod(line.substr(key.size() + 1)) / 1024.0;
  return 0;
}

// Resets VmHWM to the current RSS (as bench.py does), so the timed runs get their own peak.
bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

using NamedTimes = std::vector<std::pair<std::string, double>>;

void add_to(NamedTimes& times, const std::string& name, double s) {
  auto it = std::find_if(times.begin(), times.end(), [&](const auto& p) { return p.first == name; });
  if (it == times.end())
    times.push_back({name, s});
  else
    it->second += s;
}

// Accumulates named phase times of one run, in the order the phases first appear; with a profile,
// also the time its ops took inside each phase.
class Phases {
 public:
  explicit Phases(const ag::Profile* profile = nullptr) : profile_(profile) {}
  void start() {
    t0_ = Clock::now();
    if (profile_) ops0_ = profile_->total_s();
  }
  void tick(const std::string& name) {
    const auto t1 = Clock::now();
    add_to(times_, name, std::chrono::duration<double>(t1 - t0_).count());
    t0_ = t1;
    if (!profile_) return;
    add_to(op_times_, name, profile_->total_s() - ops0_);
    ops0_ = profile_->total_s();
  }
  void clear() { times_.clear(), op_times_.clear(); }
  const NamedTimes& times() const { return times_; }
  const NamedTimes& op_times() const { return op_times_; }

 private:
  const ag::Profile* profile_;
  Clock::time_point t0_;
  double ops0_ = 0;
  NamedTimes times_, op_times_;
};

// The median of each name's times over the runs, in the first run's order.
NamedTimes medians(const std::vector<NamedTimes>& runs) {
  NamedTimes out;
  if (runs.empty()) return out;
  for (const auto& [name, unused] : runs[0]) {
    std::vector<double> v;
    for (const NamedTimes& run : runs)
      for (const auto& [n, t] : run)
        if (n == name) v.push_back(t);
    out.push_back({name, median(v)});
  }
  return out;
}

// What every case needs: the model and the two inputs at S x S.
struct Setup {
  models::Stylizer model;
  Tensor content, style;  // [1,3,S,S]
};

std::string need(const std::string& path) {
  std::ifstream probe(path);
  if (!probe)
    throw std::runtime_error(path + ": not found (pass --shared DIR, the folder with images/, weights/, fixtures/)");
  return path;
}

models::Stylizer bench_model(const std::string& shared) {
  models::ModelConfig config;
  const data::StateDict enc = data::load_encoder_weights(need(shared + "/weights/vgg_normalised.pth"));
  const data::StateDict dec = data::load_decoder_weights(need(shared + "/weights/decoder.pth"));
  const data::NamedTensors graph =
      models::load_graph_params(need(shared + "/fixtures/e2e/gnn_seed1_graph.pth"), config);
  return models::Stylizer(config, models::assemble_params(config, enc, graph, dec, shared + "/weights"));
}

// chicago / starry_night at exactly size x size: the fixtures' PNGs at 256 (bench.py's own resize),
// the JPEGs resized here otherwise.
Tensor bench_image(const std::string& shared, const std::string& stem, const std::string& folder, int64_t size) {
  if (size == 256) return data::load_image(need(shared + "/fixtures/e2e/inputs/" + stem + "_256.png")).unsqueeze(0);
  const Tensor full = data::load_image(need(shared + "/images/" + folder + "/" + stem + ".jpg"));
  return data::resize_image(full, size, size).unsqueeze(0);
}

// bench.py's graph(): the real stage (models/graph_stage.cpp) at MODEL.md's defaults, with a clock
// between its parts through its phase hook.
ag::Variable timed_graph_stage(const models::Stylizer& m, const ag::Variable& fc, const ag::Variable& fs, Phases& ph) {
  const models::GraphOptions opt;  // MODEL.md defaults
  return models::graph_stage(m.params(), m.config(), fc, fs, opt, nullptr, nullptr, nullptr,
                             [&ph](const char* phase) { ph.tick(phase); });
}

// The body of one run of a case; phases are ticked inside. bf16: the encoder and decoder built for
// bf16 in every run, their weights converted each time (as a one-shot `graphstyle stylize` does);
// fp32 as before, through the model's encode and decode (which lay the weights out per call too).
std::function<void(Phases&)> case_body(const std::string& kind, Setup& s, bool bf16) {
  const models::Stylizer& m = s.model;
  const ag::Variable content(s.content), style(s.style);
  if (bf16) {
    const auto precision = models::Precision::bf16;
    if (kind == "encoder")
      return [&m, content, precision](Phases&) { models::EncoderInference(m.params(), m.config(), precision)(content.value()); };
    if (kind != "gnn" && kind != "adain") throw std::invalid_argument("bench: " + kind + " has no bf16 case (encoder, gnn, adain)");
    const bool gnn = kind == "gnn";
    return [&m, content, style, gnn, precision](Phases& ph) {
      ag::Variable t;
      {
        const models::EncoderInference encoder(m.params(), m.config(), precision);
        const ag::Variable fc(encoder(content.value())), fs(encoder(style.value()));
        ph.tick("encode_c_s");
        if (gnn) {
          t = timed_graph_stage(m, fc, fs, ph);
        } else {
          t = nn::adain_mix(fc, fs, 1.f);
          ph.tick("adain");
        }
      }
      models::DecoderInference(m.params(), m.config(), precision)(t.value());
      ph.tick("decode");
    };
  }
  if (kind == "encoder") return [&m, content](Phases&) { m.encode(content); };
  if (kind == "graph") {
    const ag::Variable fc = m.encode(content), fs = m.encode(style);  // outside the clock, as in bench.py
    return [&m, fc, fs](Phases& ph) { timed_graph_stage(m, fc, fs, ph); };
  }
  const bool gnn = kind == "gnn";
  return [&m, content, style, gnn](Phases& ph) {
    const ag::Variable fc = m.encode(content), fs = m.encode(style);
    ph.tick("encode_c_s");
    ag::Variable t;
    if (gnn) {
      t = timed_graph_stage(m, fc, fs, ph);
    } else {
      t = nn::adain_mix(fc, fs, 1.f);
      ph.tick("adain");
    }
    m.decode(t);
    ph.tick("decode");
  };
}

}  // namespace

const std::vector<std::string>& inference_cases() {
  static const std::vector<std::string> names = {"encoder_256", "encoder_512", "encoder_512_bf16",
                                                 "graph_256",   "graph_512",   "gnn_256",
                                                 "gnn_512",     "gnn_512_bf16", "adain_512"};
  return names;
}

double CaseResult::median_s() const { return median(times_s); }

std::string fp32_case(const std::string& name) {
  const std::string suffix = "_bf16";
  const bool bf16 = name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  return bf16 ? name.substr(0, name.size() - suffix.size()) : name;
}

CaseResult run_case(const std::string& name, const std::string& shared, int warmups, int reps, ag::Profile* profile) {
  // bench.py's cases, and the same kinds at other sizes (gnn_1024: no baseline to compare with);
  // a _bf16 suffix runs the encoder and decoder in bf16.
  const std::string base = fp32_case(name);
  const bool bf16 = base != name;
  const size_t cut = base.rfind('_');
  const std::string kind = cut == std::string::npos ? base : base.substr(0, cut);
  const std::string digits = cut == std::string::npos ? "" : base.substr(cut + 1);
  const bool known = kind == "encoder" || kind == "graph" || kind == "gnn" || kind == "adain";
  if (!known || digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos ||
      std::stoll(digits) < 64)
    throw std::invalid_argument("unknown bench case '" + name +
                                "' (encoder_S, graph_S, gnn_S or adain_S, S >= 64, optionally with _bf16)");
  const int64_t size = std::stoll(digits);

  ag::NoGradGuard no_grad;
  Setup setup{bench_model(shared), bench_image(shared, "chicago", "content", size),
              bench_image(shared, "starry_night", "style", size)};
  const std::function<void(Phases&)> body = case_body(kind, setup, bf16);
  CaseResult r;
  r.name = name;
  r.rss_setup_mb = status_mb("VmRSS");

  Phases ph(profile);
  for (int i = 0; i < warmups; ++i) {
    ph.start();
    body(ph);
  }
  std::optional<ag::ProfileScope> scope;  // the timed runs only
  if (profile) scope.emplace(*profile);
  const double peak_before = status_mb("VmHWM");
  const bool reset = reset_peak_rss();
  std::vector<NamedTimes> per_run, per_run_ops;
  for (int i = 0; i < reps; ++i) {
    ph.clear();
    const auto t0 = Clock::now();
    ph.start();
    body(ph);
    r.times_s.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    per_run.push_back(ph.times());
    per_run_ops.push_back(ph.op_times());
  }
  const double peak_timed = status_mb("VmHWM");
  r.peak_rss_timed_mb = reset ? peak_timed : 0;
  r.peak_rss_mb = std::max(peak_before, peak_timed);
  if (kind != "encoder") r.phases = medians(per_run);
  if (profile) r.phase_ops = medians(per_run_ops);
  return r;
}

std::string result_line(const CaseResult& r) {
  std::ostringstream s;
  s.precision(6);
  s << "RESULT name=" << r.name << " times=";
  for (size_t i = 0; i < r.times_s.size(); ++i) s << (i ? "," : "") << r.times_s[i];
  s << " phases=";
  for (size_t i = 0; i < r.phases.size(); ++i) s << (i ? "," : "") << r.phases[i].first << ":" << r.phases[i].second;
  s << " rss=" << r.peak_rss_mb << " rss_timed=" << r.peak_rss_timed_mb << " rss_setup=" << r.rss_setup_mb;
  return s.str();
}

CaseResult parse_result_line(const std::string& line) {
  if (line.rfind("RESULT ", 0) != 0) throw std::runtime_error("bench: not a result line: " + line);
  CaseResult r;
  std::istringstream words(line.substr(7));
  std::string word;
  auto split = [](const std::string& list, char sep) {
    std::vector<std::string> out;
    std::string item;
    std::istringstream in(list);
    while (std::getline(in, item, sep))
      if (!item.empty()) out.push_back(item);
    return out;
  };
  while (words >> word) {
    const size_t eq = word.find('=');
    const std::string key = word.substr(0, eq), value = eq == std::string::npos ? "" : word.substr(eq + 1);
    if (key == "name")
      r.name = value;
    else if (key == "times")
      for (const std::string& t : split(value, ',')) r.times_s.push_back(std::stod(t));
    else if (key == "phases")
      for (const std::string& p : split(value, ',')) {
        const size_t colon = p.rfind(':');
        r.phases.push_back({p.substr(0, colon), std::stod(p.substr(colon + 1))});
      }
    else if (key == "rss")
      r.peak_rss_mb = std::stod(value);
    else if (key == "rss_timed")
      r.peak_rss_timed_mb = std::stod(value);
    else if (key == "rss_setup")
      r.rss_setup_mb = std::stod(value);
  }
  if (r.name.empty() || r.times_s.empty()) throw std::runtime_error("bench: incomplete result line: " + line);
  return r;
}

}  // namespace gs::tools
