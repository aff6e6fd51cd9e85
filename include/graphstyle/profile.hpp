// Where the time of a call went, for people who want to see inside (docs/tour.md): per op kind
// (the autograd ops and the inference kernels: convolutions with their GFLOP/s, padding, pooling,
// upsampling, the k-NN edge search), the oneDNN convolution kernels that ran, and the call's stages.
//
//   graphstyle::Profile profile;
//   options.profile = &profile;  // StylizeOptions; TrainCallbacks::profile for training
//   model.stylize(context, content, style, options);
//   std::fputs(profile.table().c_str(), stderr);  // the library itself prints nothing
//
// A call given a Profile adds its times to it (clear() starts afresh); a call without one times
// nothing (each op then pays one thread-local read). Only the calling thread's work is recorded, so
// give each thread its own Profile. Times are wall-clock on the calling thread (an op's time
// includes the OpenMP threads it waits for).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "graphstyle/export.h"

GRAPHSTYLE_EXPORT_BEGIN
namespace graphstyle {

class Profile {
 public:
  struct Op {
    std::string name;  // an autograd op (autograd/op_table.h) or an inference kernel (autograd/profiler.h)
    int64_t calls = 0;
    double forward_s = 0, backward_s = 0;
    double share = 0;   // of total_s(), in [0, 1]
    double gflops = 0;  // achieved GFLOP/s where the flops are counted (convolutions), else 0
  };
  struct Stage {  // a part of the call: "encode style", "encode content", the graph stage's parts, "decode"
    std::string name;
    double seconds = 0, share = 0;  // share of all stages' time
  };
  struct Kernel {  // a oneDNN convolution: "kind implementation" as ONEDNN_VERBOSE names it
    std::string name;
    int64_t runs = 0;
  };

  Profile();
  ~Profile();
  Profile(const Profile& other);
  Profile& operator=(const Profile& other);

  std::vector<Op> ops() const;          // every op kind that ran, the slowest first
  std::vector<Stage> stages() const;    // in the order they first ran
  std::vector<Kernel> kernels() const;
  double total_s() const;               // time in the ops
  bool empty() const;                   // nothing recorded
  void clear();
  std::string table() const;            // all of the above as text, one line per row

  struct Impl;
  Impl& impl();  // for the library's own use

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace graphstyle
GRAPHSTYLE_EXPORT_END
