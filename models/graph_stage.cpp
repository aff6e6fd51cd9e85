#include "models/graph_stage.h"

#include <cmath>
#include <stdexcept>

#include "graphstyle/error.hpp"

#include "autograd/ops.h"
#include "autograd/profiler.h"
#include "graph/aggregators.h"
#include "graph/message_passing.h"
#include "graph/scale_predictor.h"
#include "nn/adain_blend.h"
#include "nn/statistics.h"

namespace gs::models {

void check_graph_options(const GraphOptions& o, const Shape& fc, const Shape& fs) {
  using graphstyle::OptionError;
  if (o.p < 1 || o.p % 2 == 0) throw OptionError("patch", "patch " + std::to_string(o.p) + " must be odd");
  for (const auto& [name, shape] : {std::pair{"content", fc}, std::pair{"style", fs}})
    if (shape[2] < o.p || shape[3] < o.p)
      throw OptionError(name, std::string(name) + " image too small: its relu4_1 map is " + std::to_string(shape[3]) +
                                  "x" + std::to_string(shape[2]) + ", smaller than the patch size " +
                                  std::to_string(o.p) + " (the image needs at least " + std::to_string(8 * o.p) +
                                  " pixels a side)");
  const int64_t ns = (fs[2] - o.p + 1) * (fs[3] - o.p + 1), nc = (fc[2] - o.p + 1) * (fc[3] - o.p + 1);
  if (o.k < 1 || o.k > ns)
    throw OptionError("k", "k " + std::to_string(o.k) + " must be in 1.." + std::to_string(ns) +
                               " (the number of style patches at this style size and patch size)");
  if (o.kc < 0 || o.kc > nc - 1)
    throw OptionError("kc", "kc " + std::to_string(o.kc) + " must be in 0.." + std::to_string(nc - 1) +
                                " (the number of content patches minus one)");
  if (!(o.stroke > 0.f && std::isfinite(o.stroke)))
    throw OptionError("stroke", "stroke " + std::to_string(o.stroke) + " must be > 0");
  if (!(o.alpha >= 0.f && o.alpha <= 1.f))
    throw OptionError("alpha", "alpha " + std::to_string(o.alpha) + " must be in [0, 1]");
}

void check_aggregator(const nn::Module& params, int64_t channels, graph::Aggregator aggregator, const std::string& model) {
  const std::string missing = graph::missing_inter_params(params, channels, aggregator);
  if (!missing.empty())
    throw graphstyle::OptionError("aggregator", std::string("aggregator ") + graph::to_string(aggregator) + ": " + model +
                                                    " has no " + missing + " (it was not trained with " +
                                                    graph::to_string(aggregator) + "; gat and mean work with every model)");
}

ag::Variable graph_stage(const nn::Module& params, const ModelConfig& config, const ag::Variable& fc_in,
                         const ag::Variable& fs_in, const GraphOptions& opt, GraphTrace* trace,
                         const graph::EdgeList* given_inter, const graph::EdgeList* given_intra,
                         const PhaseHook& phase) {
  auto tick = [&](const char* name) {
    if (phase) phase(name);
  };
  if (fc_in.dim() != 4 || fs_in.dim() != 4 || fc_in.size(0) != fs_in.size(0) || fc_in.size(1) != fs_in.size(1))
    throw std::invalid_argument("graph stage: content " + shape_str(fc_in.shape()) + " and style " +
                                shape_str(fs_in.shape()) + " features need the same batch size and channels");
  check_graph_options(opt, fc_in.shape(), fs_in.shape());
  check_aggregator(params, fc_in.size(1), opt.aggregator, "the model");
  // The encoder features are inputs here, never trained through (MODEL.md 2.5).
  const ag::Variable fc = fc_in.detach(), fs = fs_in.detach();
  const int64_t N = fc.size(0);

  std::vector<graph::Edges> inter, intra;
  graph::EdgeList inter_list, intra_list;
  if (given_inter) {
    inter_list = *given_inter;
  } else {
    const ag::KernelTimer timer(ag::Kernel::knn_inter);
    for (int64_t n = 0; n < N; ++n)
      inter.push_back(
          graph::find_inter_edges(fc.value().select(0, n), fs.value().select(0, n), opt.p, opt.k, opt.metric, opt.knn));
    inter_list = graph::stack_edges(inter);
  }
  tick("inter_edges");
  if (opt.kc > 0) {
    if (given_intra) {
      intra_list = *given_intra;
    } else {
      const ag::KernelTimer timer(ag::Kernel::knn_intra);
      for (int64_t n = 0; n < N; ++n) intra.push_back(graph::find_intra_edges(fc.value().select(0, n), opt.p, opt.kc, opt.knn));
      intra_list = graph::stack_edges(intra);
    }
  }
  tick("intra_edges");

  ag::Variable S, s;
  const int64_t nc = (fc.size(2) - opt.p + 1) * (fc.size(3) - opt.p + 1);
  if (opt.deformable) {
    S = graph::scale_map(params, fc, config.s_min, config.s_max);
    s = graph::node_scales(S, opt.p, opt.stroke);
  } else {
    s = ag::Variable(Tensor::ones({N, nc}));
  }
  tick("scales");
  graph::GatOutput f1 = graph::inter_stage(params, fc, fs, inter_list, s, opt.p, opt.aggregator);
  tick("gat_inter+fold");
  graph::GatOutput f2{f1.features, ag::Variable()};
  if (opt.kc > 0) {
    f2 = graph::gat_intra(f1.features, intra_list, params.get("intra.Wk"), params.get("intra.aq"),
                          params.get("intra.ak"), opt.p, opt.aggregator);
    if (!trace) f1 = graph::GatOutput{};  // a map of the content's size less from here on
  }
  tick("gat_intra+fold");
  ag::Variable t;
  if (ag::grad_enabled()) {
    t = nn::adain_mix(f2.features, fs, 1.f);
    if (opt.alpha != 1.f) {
      const ag::Variable rest = opt.mix == 0.f ? fc : nn::adain_mix(fc, fs, opt.mix);  // (1-mix) Fc + mix AdaIN
      t = ag::add(ag::mul_scalar(t, opt.alpha), ag::mul_scalar(rest, 1.f - opt.alpha));
    }
  } else {  // the same in one pass, without the chain's intermediate maps
    t = ag::Variable(nn::adain_blend(f2.features.value(), fc.value(), fs.value(), opt.alpha, opt.mix));
  }
  tick("adain");
  if (trace) {
    trace->inter = std::move(inter);
    trace->intra = std::move(intra);
    trace->S = S;
    trace->s = s;
    trace->alpha = f1.attention;
    trace->beta = f2.attention;
    trace->F1 = f1.features;
    trace->F2 = f2.features;
  }
  return t;
}

}  // namespace gs::models
