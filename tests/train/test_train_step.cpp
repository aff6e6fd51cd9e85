#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "autograd/ops.h"
#include "models/decoder.h"
#include "models/encoder.h"
#include "nn/losses.h"
#include "tensor/ops.h"
#include "train/tiny_training.h"
#include "train/train_step.h"

using gs::Tensor;
namespace ag = gs::ag;
namespace train = gs::train;

namespace {
train::StepOptions tiny_step_options() {
  train::StepOptions o;
  o.graph.p = 3;
  o.graph.k = 3;
  o.graph.kc = 2;
  return o;
}
}  // namespace

namespace {
// Checks compute_gradients against MODEL.md 4 written out in one graph (plus the photo term and the
// alpha mix when the options ask for them): the same losses and, bit for bit, the same gradients.
void check_staged_backward(const train::StepOptions& options) {
  gs::models::Stylizer model = gs::test::tiny_model(3);
  gs::Rng rng(5);
  const Tensor content = Tensor::uniform({2, 3, 32, 32}, rng, 0.f, 1.f);
  const Tensor style = Tensor::uniform({2, 3, 32, 40}, rng, 0.f, 1.f);

  auto& params = model.params();
  const auto& config = model.config();
  params.zero_grad();
  ag::Variable fc, fs4;
  std::vector<ag::Variable> sf;
  {
    ag::NoGradGuard no_grad;
    fc = gs::models::encode(params, config, ag::Variable(content), {4})[0];
    sf = gs::models::encode(params, config, ag::Variable(style), {1, 2, 3, 4});
  }
  const ag::Variable t = gs::models::graph_stage(params, config, fc, sf[3], options.graph);
  const auto of = gs::models::encode(params, config, gs::models::decode(params, config, t), {1, 2, 3, 4});
  const ag::Variable lc = gs::nn::content_loss(of[3], t), ls = gs::nn::style_loss(of, sf);
  ag::Variable loss = ag::add(lc, ag::mul_scalar(ls, options.style_weight));
  if (options.photo_weight > 0.f)
    loss = ag::add(loss, ag::mul_scalar(gs::nn::content_loss(of[3], fc), options.photo_weight));
  loss.backward();
  std::vector<std::pair<std::string, Tensor>> expected;
  for (const auto& p : params.parameters())
    if (p.var.requires_grad()) expected.push_back({p.name, p.var.grad().clone()});

  const train::StepResult r = train::compute_gradients(model, content, style, options);
  CHECK(r.finite);
  CHECK(r.loss == loss.value().item());
  CHECK(r.loss_content == lc.value().item());
  CHECK(r.loss_style == ls.value().item());
  for (const auto& [name, g] : expected) {
    INFO(name);
    CHECK(gs::max_abs_diff(params.get(name).grad(), g) == 0.f);  // the same sums in the same order
  }
  // The encoder is frozen: no gradient ever reaches it.
  CHECK_FALSE(params.get("encoder.conv1_1.weight").has_grad());
  CHECK(r.times.total() > 0);
}
}  // namespace

TEST_CASE("train step: the staged backward gives the gradients of one backward pass over the whole loss") {
  check_staged_backward(tiny_step_options());
}

TEST_CASE("train step: the photo content term and training alpha enter the loss and gradients as written") {
  train::StepOptions options = tiny_step_options();
  options.photo_weight = 0.5f;
  options.graph.alpha = 0.7f;
  check_staged_backward(options);
  options.graph.mix = 0.6f;
  check_staged_backward(options);
}

TEST_CASE("train step: a non-finite loss leaves the parameters and the optimiser untouched") {
  gs::models::Stylizer model = gs::test::tiny_model();
  train::Adam adam(model.params().trainable());
  gs::Rng rng(6);
  const Tensor content = Tensor::uniform({1, 3, 32, 32}, rng, 0.f, 1.f);
  const Tensor style = Tensor::uniform({1, 3, 32, 32}, rng, 0.f, 1.f);
  model.params().get("inter.as").value().fill_(NAN);
  const Tensor before = model.params().get("decoder.dec4_1.weight").value().clone();
  const train::StepResult r = train::train_step(model, adam, content, style, tiny_step_options());
  CHECK_FALSE(r.finite);
  CHECK(std::isnan(r.loss));
  CHECK(gs::max_abs_diff(model.params().get("decoder.dec4_1.weight").value(), before) == 0.f);
  CHECK(adam.steps_done() == 0);
}

TEST_CASE("train_step: want_dot draws the step's three graphs with their ops and named parameters") {
  gs::models::Stylizer model = gs::test::tiny_model(3);
  gs::Rng rng(5);
  const Tensor content = Tensor::uniform({1, 3, 32, 32}, rng, 0.f, 1.f);
  const Tensor style = Tensor::uniform({1, 3, 32, 32}, rng, 0.f, 1.f);
  train::StepTrace trace;
  train::compute_gradients(model, content, style, tiny_step_options(), &trace);
  CHECK(trace.dot.empty());  // only when asked for
  trace.want_dot = true;
  train::compute_gradients(model, content, style, tiny_step_options(), &trace);
  const std::string& dot = trace.dot;
  REQUIRE(dot.rfind("digraph autograd {", 0) == 0);
  // The loss network (re-encoding the output, the two losses), the decoder, the graph stage.
  for (const char* op : {"mse_loss", "max_pool2x2_ceil", "upsample_nearest2x", "reflection_pad2d", "conv2d_relu",
                         "patch_mean", "channel_dot", "deform_sample", "fused_fold", "node_scales", "softmax"})
    CHECK_MESSAGE(dot.find(std::string("\"") + op + "\n") != std::string::npos, op);
  for (const char* name : {"\"loss = add\n", "\"t (cut: the decoder's input)\n", "\"decoder.dec1_1.weight\n",
                           "\"inter.Wc\n"})
    CHECK_MESSAGE(dot.find(name) != std::string::npos, name);
  // The step still trains: the graph was drawn before the backward, not instead of it.
  CHECK(model.params().get("decoder.dec1_1.weight").has_grad());
}

TEST_CASE("train step: data-parallel hooks hear of each final gradient once, the decoder's first, then finish") {
  gs::models::Stylizer model = gs::test::tiny_model();
  gs::Rng rng(7);
  const Tensor content = Tensor::uniform({1, 3, 32, 32}, rng, 0.f, 1.f);
  const Tensor style = Tensor::uniform({1, 3, 32, 32}, rng, 0.f, 1.f);
  std::map<const void*, std::string> names;  // a parameter by its Variable::id()
  for (const gs::nn::Parameter& p : model.params().parameters())
    if (p.var.requires_grad()) names[p.var.id()] = p.name;
  std::vector<std::string> ready;              // in the order heard
  std::map<std::string, Tensor> at_ready;      // each gradient when it was said to be final
  int ops = 0, finished = 0;
  train::GradientSync sync;
  sync.backward.gradient_ready = [&](const void* leaf) {
    const auto it = names.find(leaf);
    if (it == names.end()) return;  // the cuts at out and t are leaves too
    ready.push_back(it->second);
    at_ready[it->second] = model.params().get(it->second).grad().clone();
  };
  sync.backward.after_op = [&] { ++ops; };
  sync.finish = [&](train::StepResult& r) {
    CHECK(ready.size() == names.size());
    ++finished;
    r.loss = NAN;  // as if another rank's loss were NaN: the averaged loss decides
  };
  const train::StepResult r = train::compute_gradients(model, content, style, tiny_step_options(), nullptr, &sync);
  CHECK(finished == 1);
  CHECK_FALSE(r.finite);
  CHECK(ops > 10);
  REQUIRE(ready.size() == names.size());
  CHECK(std::set<std::string>(ready.begin(), ready.end()).size() == ready.size());  // each once
  // The decoder's backward runs before the graph stage's.
  const auto first_graph = std::find_if(ready.begin(), ready.end(), [](const std::string& n) { return n.rfind("decoder.", 0) != 0; });
  CHECK(std::all_of(first_graph, ready.end(), [](const std::string& n) { return n.rfind("decoder.", 0) != 0; }));
  CHECK(first_graph != ready.begin());
  // Final means final: nothing was added to a gradient after it was reported.
  for (const auto& [name, g] : at_ready) CHECK_MESSAGE(gs::max_abs_diff(g, model.params().get(name).grad()) == 0.f, name);
}
