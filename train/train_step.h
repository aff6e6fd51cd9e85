// One training step of MODEL.md 4 on a batch:
//   encode content (relu4_1) and style (relu1_1..relu4_1) without gradient;
//   t = graph stage(fc, fs); out = decoder(t);
//   re-encode out at relu1_1..relu4_1 (the frozen encoder passes the gradient through to out);
//   L = Lc + lambda Ls, Lc = mse(phi4_1(out), t detached), Ls = mean/std matching on four layers
//   (plus, when asked, photo_weight * mse(phi4_1(out), Fc));
//   backward; one Adam update of the trainable parameters (scale.*, inter.*, intra.*, decoder.*).
// The backward runs in three stages (loss network, decoder, graph stage) through leaf cuts at `out`
// and `t`: the same gradients as one pass, each stage's graph freed before the next runs, and a time
// per phase for the trainer and the benchmark.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "autograd/backward_hooks.h"
#include "models/graph_stage.h"
#include "models/stylizer.h"
#include "train/adam.h"

namespace gs::train {

struct StepOptions {
  models::GraphOptions graph;  // p, k, kc, deformable, aggregator, metric (stroke and alpha stay 1)
  float style_weight = 10.f;   // lambda
  // Beyond MODEL.md (0 = off): + photo_weight * mse(phi4_1(out), Fc), a content term against the photo's
  // own features. MODEL.md's Lc compares with t, the graph stage's output, so nothing else pulls the
  // output toward the photo's structure.
  float photo_weight = 0.f;
  // Mixed precision: the step's convolutions multiply in bf16 (nn::Bf16ConvScope); everything
  // else, the parameters and Adam included, stays fp32.
  bool bf16 = false;
};

// Seconds spent per phase of one step.
struct StepTimes {
  double encode = 0;         // content and style features, no gradient
  double graph_forward = 0;  // edges, scales, both GAT stages, AdaIN
  double decode_forward = 0;
  double loss_forward = 0;   // re-encoding the output and the two losses
  double loss_backward = 0;  // through the frozen encoder to the output
  double decode_backward = 0;
  double graph_backward = 0;
  double update = 0;  // gradient check and Adam
  double reduce = 0;  // waiting for the gradients averaged over data-parallel ranks (train/distributed.h)
  double total() const;
  std::string str() const;  // "encode 1.2s graph 0.3s ..." for logs
};

struct StepResult {
  float loss = 0, loss_content = 0, loss_style = 0;
  bool finite = true;  // false: a loss or gradient was NaN/Inf and the parameters were left as they were
  StepTimes times;
};

// Data-parallel hooks (train/distributed.h); a one-process run has none.
struct GradientSync {
  // Installed during the backward: each parameter's gradient as soon as it is final starts its
  // bucket's reduction, and the reductions progress between the backward's ops.
  ag::BackwardHooks backward;
  // Waits until every gradient is the mean over the ranks (StepTimes::reduce), and averages the losses too.
  std::function<void(StepResult& result)> finish;
};

// What the step computed on the way, for verify and tests; filled only when asked for.
struct StepTrace {
  Tensor fc, t, out;
  models::GraphTrace graph;
  // With want_dot, `dot` receives the step's recorded graph as Graphviz DOT (autograd/to_dot.h), drawn
  // just before the backward: the loss network, the decoder and the graph stage, cut at out and t.
  bool want_dot = false;
  std::string dot;
};

// Forward and backward: fills the .grad of every trainable parameter of `model` (previous gradients
// are cleared first). Does not update anything.
// With `sync`, the gradients and losses are averaged over the ranks before the finiteness check,
// so every rank reaches the same verdict.
StepResult compute_gradients(models::Stylizer& model, const Tensor& content, const Tensor& style,
                             const StepOptions& options, StepTrace* trace = nullptr,
                             const GradientSync* sync = nullptr);

// True when every parameter value is finite (a NaN can hide behind a ReLU and leave the loss finite).
bool parameters_finite(const models::Stylizer& model);

// compute_gradients, then one Adam update when every loss and gradient is finite. `adam` must hold
// model.params().trainable().
StepResult train_step(models::Stylizer& model, Adam& adam, const Tensor& content, const Tensor& style,
                      const StepOptions& options, StepTrace* trace = nullptr, const GradientSync* sync = nullptr);

}  // namespace gs::train
