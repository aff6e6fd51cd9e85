// How to stylize: the method and the GNN's controls (MODEL.md 2 and 6), plus the call's resources.
// Start from Model::default_options(): its patch size is the model's, and a trained model file's
// recommended settings (alpha, k, kc, stroke, mix) replace the defaults below.
#pragma once
#include <functional>
#include <string>

#include "graphstyle/export.h"

GRAPHSTYLE_EXPORT_BEGIN
namespace graphstyle {

class Profile;  // graphstyle/profile.hpp

enum class Method { gnn, adain };
// The style -> content aggregation: attention over the neighbours (gat), their plain mean (mean;
// also the content -> content stage), or beyond MODEL.md (README "Aggregators beyond MODEL.md"; the
// content -> content stage stays GAT): gin, edgeconv, sage, which need a model trained with them.
enum class Aggregator { gat, mean, gin, edgeconv, sage };
const char* to_string(Aggregator aggregator);  // "gat", "mean", "gin", "edgeconv", "sage"
// The inverse; OptionError(field) naming the accepted names otherwise.
Aggregator parse_aggregator(const std::string& name, const std::string& field = "aggregator");
enum class Metric { ncc, euclidean };  // the k-NN similarity for the style neighbours
// How the neighbours are found: exact (MODEL.md), or approximate for large images (candidates from a
// coarse level and from the neighbours' matches, each scored exactly; the same as exact up to about
// 1024 x 1024 pixels, where no coarse level is needed).
enum class Knn { exact, approximate };
enum class Precision { fp32, bf16 };  // of the encoder's and decoder's convolutions

struct StylizeOptions {
  Method method = Method::gnn;
  float alpha = 1.f;          // stylization strength in [0, 1]: t = alpha t + (1 - alpha) mix
  // The (1 - alpha) share is (1 - mix) Fc + mix AdaIN(Fc, Fs), mix in [0, 1]: 0 is MODEL.md's (the
  // content features); AdaIN(Fc, Fs) keeps the content's layout with the style's channel statistics.
  float mix = 0.f;
  int k = 5;                  // style neighbours per content patch, >= 1 and at most the style patches
  int kc = 5;                 // content neighbours per content patch; 0 switches the intra-domain stage off
  int patch = 5;              // patch size at relu4_1, odd
  float stroke = 1.f;         // multiplies every deformable scale, > 0
  bool deformable = true;     // deformable patch sampling (false: every scale is 1)
  Aggregator aggregator = Aggregator::gat;  // default_options(): the model's family if it has one
  Metric metric = Metric::ncc;
  Knn knn = Knn::exact;
  // The encoder's and decoder's convolutions: fp32, or bf16 products with fp32 sums (faster on a CPU
  // with AVX512-BF16; the README states its difference from fp32 and its speed). The graph stage
  // (k-NN, attention, AdaIN) is fp32 either way. Where the CPU lacks native bf16 the call runs in
  // fp32: effective_precision() (graphstyle/model.hpp) says which runs.
  Precision precision = Precision::fp32;

  // Threads for this call's parallel loops and oneDNN kernels; 0 = the calling thread's OpenMP
  // default (OMP_NUM_THREADS or the cores). Set for the call only, on the calling thread.
  int threads = 0;
  // Give the heap's free memory back to the system (malloc_trim) before the big buffers of a large
  // image (one run in strips) are taken. Affects the whole process's heap, hence opt-in.
  bool trim_heap = false;
  // Called on the calling thread as each stage of a stylization starts ("encode style", "encode
  // content", "graph", "decode") and at the end ("done", 1), with the approximate share of the work
  // done so far in [0, 1]: for a progress display. Empty: not called.
  std::function<void(const char* stage, double fraction)> progress;
  // If set, the call adds where its time went to *profile (graphstyle/profile.hpp: per op kind, the
  // oneDNN kernels, the stages). Null: nothing is timed.
  Profile* profile = nullptr;
};

}  // namespace graphstyle
GRAPHSTYLE_EXPORT_END
