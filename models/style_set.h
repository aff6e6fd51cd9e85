// The graph stage with several style images at once (beyond MODEL.md; issue 14), in two forms:
//   blend:   one region, a weight per style. Each content node's inter-domain candidates are the k
//            best patches of every style; a style's weight enters the attention as a prior,
//            alpha_ij ∝ w_s exp(e_ij) (log w_s added to the logits before the softmax over all
//            candidates; with aggregator mean alpha_ij = w_s / k), so a weight of 0 removes that
//            style's edges and weights 1,0 are the first style alone. The AdaIN refinement targets
//            sum_s w_s mu_s and sum_s w_s sigma_s: for AdaIN this is pytorch-AdaIN's interpolation
//            sum_s w_s AdaIN(F, Fs_s).
//   regions: a region per relu4_1 pixel, each with its own weights (a mask gives each region one
//            style). A node (its patch centre's region) takes inter-domain edges only from its
//            region's styles and intra-domain edges only within its region; the AdaIN statistics
//            are taken per region. A region without a style keeps the content: its nodes' only
//            message is their own content patch.
// Patches overlapping a region border fold into both sides, which blends the styles there.
// Aggregators gin, edgeconv and sage (graph/aggregators.h) have no attention to put a prior on: they
// take one style for every node (one style, or one used style and no region that keeps the content);
// anything else is an OptionError("aggregator").
#pragma once
#include <cstdint>
#include <vector>

#include "models/config.h"
#include "models/graph_stage.h"
#include "nn/module.h"
#include "tensor/tensor.h"

namespace gs::models {

struct StyleSetInput {
  std::vector<Tensor> fs;                   // relu4_1 of each style: [1,C,Hs,Ws]
  std::vector<std::vector<float>> regions;  // per region: a weight >= 0 per style; all 0 = no style
  std::vector<int32_t> pixel_region;        // [Hc*Wc]: the region of each relu4_1 pixel; empty = all region 0
};

// fc: [1,C,Hc,Wc] -> t: [1,C,Hc,Wc]. graph = false is AdaIN (F2 = Fc, no graph). Throws
// graphstyle::OptionError like graph_stage for options that do not fit the maps.
Tensor style_set_stage(const nn::Module& params, const ModelConfig& config, const Tensor& fc, const StyleSetInput& in,
                       const GraphOptions& opt, bool graph);

// The AdaIN refinement per region: each region's pixels of f ([1,C,H,W]) get the weighted mean of
// its styles' mu and sigma; a region without a style is left as it is.
Tensor region_adain(const Tensor& f, const StyleSetInput& in);

}  // namespace gs::models
