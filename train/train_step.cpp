#include "train/train_step.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>

#include "autograd/ops.h"
#include "autograd/to_dot.h"
#include "models/decoder.h"
#include "models/encoder.h"
#include "nn/losses.h"
#include "nn/onednn_conv.h"

namespace gs::train {

namespace {
using Clock = std::chrono::steady_clock;

// Adds the seconds since `start` to `into` and restarts the clock.
void lap(Clock::time_point& start, double& into) {
  const Clock::time_point now = Clock::now();
  into += std::chrono::duration<double>(now - start).count();
  start = now;
}

const std::vector<int> kStyleLayers = {1, 2, 3, 4};  // relu1_1 .. relu4_1

bool all_finite(const Tensor& t) {
  const Tensor c = t.contiguous();
  const float* p = c.data();
  for (int64_t i = 0; i < c.numel(); ++i)
    if (!std::isfinite(p[i])) return false;
  return true;
}

// The three graphs of a step in one drawing, the parameters and the cuts labelled by name.
std::string step_dot(const nn::Module& params, const ag::Variable& loss, const ag::Variable& out,
                     const ag::Variable& out_cut, const ag::Variable& t, const ag::Variable& t_cut) {
  std::vector<std::pair<std::string, ag::Variable>> names = {
      {"loss", loss}, {"out", out}, {"out (cut: the loss network's input)", out_cut}, {"t", t},
      {"t (cut: the decoder's input)", t_cut}};
  for (const nn::Parameter& p : params.parameters()) names.push_back({p.name, p.var});
  return ag::to_dot({loss, out, t}, names);
}
}  // namespace

double StepTimes::total() const {
  return encode + graph_forward + decode_forward + loss_forward + loss_backward + decode_backward + graph_backward +
         update + reduce;
}

std::string StepTimes::str() const {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "encode %.2fs  graph %.2f+%.2fs  decoder %.2f+%.2fs  loss net %.2f+%.2fs  update %.2fs  reduce %.2fs "
                "(fwd+bwd)",
                encode, graph_forward, graph_backward, decode_forward, decode_backward, loss_forward, loss_backward,
                update, reduce);
  return buf;
}

StepResult compute_gradients(models::Stylizer& model, const Tensor& content, const Tensor& style,
                             const StepOptions& options, StepTrace* trace, const GradientSync* sync) {
  const nn::Bf16ConvScope precision(options.bf16);  // every convolution of the step, forward and backward
  const nn::Module& params = model.params();
  const models::ModelConfig& config = model.config();
  model.params().zero_grad();
  StepResult r;
  Clock::time_point clock = Clock::now();

  ag::Variable fc;
  std::vector<ag::Variable> style_features;
  {
    ag::NoGradGuard no_grad;
    fc = models::encode(params, config, ag::Variable(content), {4})[0];
    style_features = models::encode(params, config, ag::Variable(style), kStyleLayers);
  }
  lap(clock, r.times.encode);

  // The graph stage (which detaches fc and fs itself) and the decoder, each ending at a leaf cut:
  // the backward below runs stage by stage from these cuts.
  ag::Variable t =
      models::graph_stage(params, config, fc, style_features[3], options.graph, trace ? &trace->graph : nullptr);
  lap(clock, r.times.graph_forward);
  if (trace) trace->fc = fc.value();
  const ag::Variable photo_target = options.photo_weight > 0.f ? ag::Variable(fc.value()) : ag::Variable();
  fc = ag::Variable();  // the graph stage holds what its backward needs
  ag::Variable t_cut(t.value(), true);
  ag::Variable out = models::decode(params, config, t_cut);
  lap(clock, r.times.decode_forward);
  ag::Variable out_cut(out.value(), true);

  std::optional<ag::BackwardHooksScope> hooks;
  {
    const std::vector<ag::Variable> out_features = models::encode(params, config, out_cut, kStyleLayers);
    const ag::Variable lc = nn::content_loss(out_features[3], t_cut);  // t is the detached target
    const ag::Variable ls = nn::style_loss(out_features, style_features);
    style_features.clear();  // only their statistics were needed (the graph stage keeps relu4_1)
    ag::Variable loss = ag::add(lc, ag::mul_scalar(ls, options.style_weight));
    if (options.photo_weight > 0.f)
      loss = ag::add(loss, ag::mul_scalar(nn::content_loss(out_features[3], photo_target), options.photo_weight));
    r.loss = loss.value().item();
    r.loss_content = lc.value().item();
    r.loss_style = ls.value().item();
    lap(clock, r.times.loss_forward);
    if (trace && trace->want_dot) trace->dot = step_dot(params, loss, out, out_cut, t, t_cut);
    if (sync) hooks.emplace(sync->backward);
    loss.backward();
  }  // the loss network's graph is gone here
  lap(clock, r.times.loss_backward);
  if (trace) {
    trace->t = t.value();
    trace->out = out.value();
  }

  // The decoder's buckets start during its backward and progress during the graph stage's.
  ag::backward({out}, {out_cut.grad()});
  out = out_cut = ag::Variable();
  lap(clock, r.times.decode_backward);
  ag::backward({t}, {t_cut.grad()});
  t = t_cut = ag::Variable();
  lap(clock, r.times.graph_backward);
  hooks.reset();
  if (sync) sync->finish(r);
  lap(clock, r.times.reduce);

  r.finite = std::isfinite(r.loss) && std::isfinite(r.loss_content) && std::isfinite(r.loss_style);
  for (const ag::Variable& p : params.trainable())
    if (r.finite && p.has_grad()) r.finite = all_finite(p.grad());
  lap(clock, r.times.update);
  return r;
}

bool parameters_finite(const models::Stylizer& model) {
  for (const nn::Parameter& p : model.params().parameters())
    if (!all_finite(p.var.value())) return false;
  return true;
}

StepResult train_step(models::Stylizer& model, Adam& adam, const Tensor& content, const Tensor& style,
                      const StepOptions& options, StepTrace* trace, const GradientSync* sync) {
  StepResult r = compute_gradients(model, content, style, options, trace, sync);
  if (!r.finite) return r;
  const Clock::time_point start = Clock::now();
  adam.step();
  adam.zero_grad();  // the gradients are not needed past the update; free them
  r.times.update += std::chrono::duration<double>(Clock::now() - start).count();
  return r;
}

}  // namespace gs::train
