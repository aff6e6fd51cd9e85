#include "models/style_set.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "autograd/ops.h"
#include "graphstyle/error.hpp"

#include "graph/aggregators.h"
#include "graph/deform_sample.h"
#include "graph/message_passing.h"
#include "graph/ncc_topk.h"
#include "graph/patches.h"
#include "graph/scale_predictor.h"
#include "nn/statistics.h"

namespace gs::models {

namespace {

// Each region's weights divided by their sum (all 0 stays all 0).
std::vector<std::vector<float>> normalised(const StyleSetInput& in) {
  std::vector<std::vector<float>> w = in.regions;
  for (std::vector<float>& r : w) {
    if (r.size() != in.fs.size())
      throw std::invalid_argument("style set: a region has " + std::to_string(r.size()) + " weights for " +
                                  std::to_string(in.fs.size()) + " styles");
    double sum = 0;
    for (float v : r) {
      if (!(v >= 0.f && std::isfinite(v))) throw std::invalid_argument("style set: a weight is negative or not finite");
      sum += v;
    }
    if (sum > 0)
      for (float& v : r) v = static_cast<float>(v / sum);
  }
  return w;
}

bool has_style(const std::vector<float>& w) {
  for (float v : w)
    if (v > 0.f) return true;
  return false;
}

int32_t region_at(const StyleSetInput& in, int64_t pixel) {
  return in.pixel_region.empty() ? 0 : in.pixel_region[pixel];
}

ag::Variable constant(Tensor t) { return ag::Variable(std::move(t), false); }

}  // namespace

Tensor region_adain(const Tensor& f_in, const StyleSetInput& in) {
  const Tensor f = f_in.contiguous();
  const int64_t C = f.size(1), HW = f.size(2) * f.size(3);
  const std::vector<std::vector<float>> w = normalised(in);
  const size_t R = w.size();
  std::vector<Tensor> mu(in.fs.size()), sigma(in.fs.size());
  for (size_t s = 0; s < in.fs.size(); ++s) {
    auto [m, sd] = nn::mean_std(constant(in.fs[s]));
    mu[s] = m.value().contiguous();
    sigma[s] = sd.value().contiguous();
  }
  std::vector<int64_t> count(R, 0);
  for (int64_t a = 0; a < HW; ++a) ++count.at(region_at(in, a));
  Tensor out = f.clone();
  const float* x = f.data();
  float* y = out.data();
#pragma omp parallel for schedule(static)
  for (int64_t c = 0; c < C; ++c) {
    std::vector<double> sum(R, 0.0), sumsq(R, 0.0);
    const float* xc = x + c * HW;
    for (int64_t a = 0; a < HW; ++a) sum[region_at(in, a)] += xc[a];
    std::vector<double> mean(R), scale(R), target_mu(R, 0.0);
    for (size_t r = 0; r < R; ++r) mean[r] = count[r] ? sum[r] / count[r] : 0.0;
    for (int64_t a = 0; a < HW; ++a) {
      const double d = xc[a] - mean[region_at(in, a)];
      sumsq[region_at(in, a)] += d * d;
    }
    for (size_t r = 0; r < R; ++r) {
      double target_sigma = 0;
      for (size_t s = 0; s < in.fs.size(); ++s) {
        target_mu[r] += w[r][s] * mu[s].data()[c];
        target_sigma += w[r][s] * sigma[s].data()[c];
      }
      const double var = count[r] > 1 ? sumsq[r] / static_cast<double>(count[r] - 1) : 0.0;  // unbiased, MODEL.md 2.9
      scale[r] = target_sigma / std::sqrt(var + nn::kStdEps);
    }
    for (int64_t a = 0; a < HW; ++a) {
      const int32_t r = region_at(in, a);
      if (has_style(w[r])) y[c * HW + a] = static_cast<float>(scale[r] * (xc[a] - mean[r]) + target_mu[r]);
    }
  }
  return out;
}

Tensor style_set_stage(const nn::Module& params, const ModelConfig& config, const Tensor& fc_in,
                       const StyleSetInput& in, const GraphOptions& opt, bool graph) {
  if (in.fs.empty() || in.regions.empty()) throw std::invalid_argument("style set: no styles or no regions");
  const Tensor fc = fc_in.contiguous();
  const int64_t H = fc.size(2), W = fc.size(3);
  if (!in.pixel_region.empty() && static_cast<int64_t>(in.pixel_region.size()) != H * W)
    throw std::invalid_argument("style set: " + std::to_string(in.pixel_region.size()) + " region labels for a " +
                                std::to_string(W) + "x" + std::to_string(H) + " map");
  for (int32_t r : in.pixel_region)
    if (r < 0 || r >= static_cast<int32_t>(in.regions.size()))
      throw std::invalid_argument("style set: region label " + std::to_string(r) + " has no weights");
  const std::vector<std::vector<float>> w = normalised(in);
  ag::NoGradGuard no_grad;
  const ag::Variable fcv = constant(fc);
  ag::Variable f2 = fcv;
  if (graph) {
    const int p = opt.p, r = (p - 1) / 2;
    const size_t S = in.fs.size();
    std::vector<bool> used(S, false);
    for (const std::vector<float>& rw : w)
      for (size_t s = 0; s < S; ++s) used[s] = used[s] || rw[s] > 0.f;
    for (size_t s = 0; s < S; ++s)
      if (used[s]) check_graph_options(opt, fc.shape(), in.fs[s].shape());
    const int64_t gw = W - p + 1, gh = H - p + 1, Nc = gw * gh;
    std::vector<int32_t> node_region(Nc);
    bool none = false;
    for (int64_t oy = 0; oy < gh; ++oy)
      for (int64_t ox = 0; ox < gw; ++ox) {
        node_region[oy * gw + ox] = region_at(in, (oy + r) * W + ox + r);
        none = none || !has_style(w[node_region[oy * gw + ox]]);
      }

    ag::Variable scales;
    if (opt.deformable)
      scales = graph::node_scales(graph::scale_map(params, fcv, config.s_min, config.s_max), p, opt.stroke);
    else
      scales = constant(Tensor::ones({1, Nc}));
    const bool gat = opt.aggregator == graph::Aggregator::gat;
    Tensor q;
    if (gat) q = graph::patch_mean(graph::score_map(fcv, params.get("inter.Wc"), params.get("inter.ac")), p).value().contiguous();

    // Every used style's k-NN edges and attention logits e_ij + log w_s (the prior).
    const int64_t k = opt.k;
    std::vector<graph::EdgeList> edges(S);
    std::vector<Tensor> key(S);
    for (size_t s = 0; s < S; ++s) {
      if (!used[s]) continue;
      edges[s] = graph::stack_edges(std::vector<graph::Edges>{
          graph::find_inter_edges(fc.select(0, 0), in.fs[s].select(0, 0), p, opt.k, opt.metric, opt.knn)});
      if (gat) {
        const ag::Variable smap = graph::score_map(constant(in.fs[s]), params.get("inter.Ws"), params.get("inter.as"));
        const ag::Variable samples = graph::deform_sample(smap, edges[s], scales, p);  // [1,Nc,k,1,p,p]
        key[s] = ag::mean(ag::reshape(samples, {1, Nc, k, int64_t{p} * p}), {3}).value().contiguous();
      }
    }
    const bool family = opt.aggregator != graph::Aggregator::gat && opt.aggregator != graph::Aggregator::mean;
    ag::Variable f1;
    if (family) {  // gin, edgeconv, sage: one style for every node, as graph_stage
      check_aggregator(params, fc.size(1), opt.aggregator, "the model");
      size_t styles = 0, only = 0;
      for (size_t s = 0; s < S; ++s)
        if (used[s]) ++styles, only = s;
      if (styles != 1 || none)
        throw graphstyle::OptionError(
            "aggregator", std::string("aggregator ") + graph::to_string(opt.aggregator) +
                              " stylizes with one style for the whole image; blends, several regions' styles and "
                              "regions that keep the content need aggregator gat or mean");
      f1 = graph::inter_stage(params, fcv, constant(in.fs[only]), edges[only], scales, p, opt.aggregator).features;
    }
    std::vector<Tensor> alpha(S);
    for (size_t s = 0; s < S && !family; ++s)
      if (used[s]) alpha[s] = Tensor::zeros({1, Nc, k});
    Tensor self_alpha = Tensor::zeros({1, Nc, 1});
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < (family ? 0 : Nc); ++i) {
      const std::vector<float>& rw = w[node_region[i]];
      if (!has_style(rw)) {
        self_alpha.data()[i] = 1.f;
        continue;
      }
      float top = -std::numeric_limits<float>::infinity();
      auto logit = [&](size_t s, int64_t m) {
        float e = 0.f;
        if (gat) {
          e = q.data()[i] + key[s].data()[i * k + m];
          e = e > 0.f ? e : graph::kLeakySlope * e;
        }
        return e + std::log(rw[s]);
      };
      for (size_t s = 0; s < S; ++s)
        if (rw[s] > 0.f)
          for (int64_t m = 0; m < k; ++m) top = std::max(top, logit(s, m));
      double total = 0;
      for (size_t s = 0; s < S; ++s)
        if (rw[s] > 0.f)
          for (int64_t m = 0; m < k; ++m) total += alpha[s].data()[i * k + m] = std::exp(logit(s, m) - top);
      for (size_t s = 0; s < S; ++s)
        if (rw[s] > 0.f)
          for (int64_t m = 0; m < k; ++m) alpha[s].data()[i * k + m] = static_cast<float>(alpha[s].data()[i * k + m] / total);
    }
    // F1: the fold is linear in the attention, so the styles' folds add up (same coverage counts).
    auto add = [&](const ag::Variable& part) { f1 = f1.defined() ? ag::add(f1, part) : part; };
    for (size_t s = 0; s < S && !family; ++s)
      if (used[s]) add(graph::aggregate_fold(constant(in.fs[s]), edges[s], scales, constant(alpha[s]), p, H, W));
    if (none) {  // a region without a style: each node's one message is its own content patch
      graph::EdgeList self{1, Nc, 1, std::vector<int32_t>(Nc)};
      for (int64_t i = 0; i < Nc; ++i) self.index[i] = static_cast<int32_t>(i);
      add(graph::aggregate_fold(fcv, self, constant(Tensor::ones({1, Nc})), constant(self_alpha), p, H, W));
    }
    f2 = f1;
    if (opt.kc > 0) {
      const bool split = w.size() > 1;
      const graph::EdgeList intra = graph::stack_edges(std::vector<graph::Edges>{
          graph::find_intra_edges(fc.select(0, 0), p, opt.kc, opt.knn, split ? &node_region : nullptr)});
      f2 = graph::gat_intra(f1, intra, params.get("intra.Wk"), params.get("intra.aq"), params.get("intra.ak"), p,
                            opt.aggregator)
               .features;
    }
  }
  Tensor t = region_adain(f2.value(), in);
  if (opt.alpha != 1.f) {
    const ag::Variable rest = opt.mix == 0.f ? fcv
                                             : ag::add(ag::mul_scalar(fcv, 1.f - opt.mix),
                                                       ag::mul_scalar(constant(region_adain(fc, in)), opt.mix));
    t = ag::add(ag::mul_scalar(constant(t), opt.alpha), ag::mul_scalar(rest, 1.f - opt.alpha)).value();
  }
  return t;
}

}  // namespace gs::models
