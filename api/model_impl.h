// The insides of the API's Model, Context and Trace (shared by api/*.cpp).
#pragma once
#include <omp.h>

#include <chrono>
#include <memory>
#include <optional>

#include "graphstyle/model.hpp"
#include "graphstyle/profile.hpp"
#include "graphstyle/trace.hpp"
#include "autograd/profiler.h"
#include "data/model_file.h"
#include "models/graph_inspect.h"
#include "models/inference.h"
#include "models/stylizer.h"

namespace graphstyle {

struct Model::Impl {
  gs::models::Stylizer stylizer;
  gs::data::RecommendedSettings recommended;
  std::string source = "the model";  // its file, for errors ("the model" when loaded from memory)
};

struct Context::Impl {
  // The inference nets of the model last used with this context (weights laid out for oneDNN).
  std::weak_ptr<const Model::Impl> model;
  std::unique_ptr<gs::models::EncoderInference> encoder;
  std::unique_ptr<gs::models::DecoderInference> decoder;
  Precision precision = Precision::fp32;  // what the nets were built for (StylizeOptions::precision)
};

struct StyleFeatures::Impl {
  std::weak_ptr<const Model::Impl> model;  // the model that encoded them
  gs::Tensor image;     // [1,3,H,W] as fed to the encoder
  gs::Tensor features;  // relu4_1: [1,C,ceil(H/8),ceil(W/8)]
};

struct Trace::Impl {
  bool filled = false;
  gs::models::GraphTrace trace;
  gs::models::GraphGeometry geometry;
  gs::models::GraphOptions options;
  gs::Tensor style;  // [3,Hs,Ws] as fed to the encoder
};

struct Profile::Impl {
  gs::ag::Profile profile;
};

namespace detail {
// StylizeOptions::threads for one call: the calling thread's OpenMP thread count (an ICV of that
// thread only), set while this lives and restored however the call ends.
class ThreadsForCall {
 public:
  explicit ThreadsForCall(int threads) : previous_(omp_get_max_threads()), set_(threads > 0) {
    if (set_) omp_set_num_threads(threads);
  }
  ~ThreadsForCall() {
    if (set_) omp_set_num_threads(previous_);
  }
  ThreadsForCall(const ThreadsForCall&) = delete;
  ThreadsForCall& operator=(const ThreadsForCall&) = delete;

 private:
  int previous_;
  bool set_;
};

// StylizeOptions::profile (or TrainCallbacks::profile), if set: the ops run on this thread while
// this lives add into it, and tick() adds the wall time since the last tick as a stage.
class CallProfile {
 public:
  explicit CallProfile(Profile* profile) : profile_(profile ? &profile->impl().profile : nullptr) {
    if (profile_) scope_.emplace(*profile_);
  }
  void tick(const char* stage) {
    if (!profile_) return;
    const auto now = std::chrono::steady_clock::now();
    profile_->add_stage(stage, std::chrono::duration<double>(now - last_).count());
    last_ = now;
  }
  bool on() const { return profile_ != nullptr; }

 private:
  gs::ag::Profile* profile_;
  std::optional<gs::ag::ProfileScope> scope_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

gs::models::GraphOptions graph_options(const StylizeOptions& options);
// Throws what Model::stylize throws for these options and image sizes.
void check_all(const Model::Impl& m, const StylizeOptions& o, int cw, int ch, int sw, int sh);
// The context's inference nets for this model, laid out on first use.
Context::Impl& prepare(Context& context, const std::shared_ptr<const Model::Impl>& model, const StylizeOptions& o);
// Features of this model (OptionError naming `field` otherwise).
void check_style(const StyleFeatures& style, const std::shared_ptr<const Model::Impl>& model, const char* field);
// StylizeOptions::progress, if set. The shares are rough, after a 512 x 512 GNN stylization's time
// (encoding each image about 30%, the graph stage 15%, decoding 30%).
inline void report(const StylizeOptions& o, const char* stage, double fraction) {
  if (o.progress) o.progress(stage, fraction);
}
}

}  // namespace graphstyle
