// Parameter initialisation (MODEL.md 2.4, 2.6, 2.10), seeded:
//   scale.conv1: PyTorch's default conv init, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias;
//   scale.conv2: weight 0, bias logit((1 - s_min)/(s_max - s_min)), so every node scale starts at 1;
//   inter.Wc, inter.Ws, intra.Wk ~ N(0, 1/C); inter.ac, inter.as, intra.aq, intra.ak = 0 (uniform attention).
// The decoder, when trained from scratch, gets PyTorch's default conv init.
// An aggregator family beyond MODEL.md (config.family) starts where it reproduces a simple aggregator
// (README "Aggregators beyond MODEL.md"): sage W_neigh = I, W_self = 0, bias 0 (the mean aggregator's
// F1); gin eps = 0, W1 = I/6, W2 = I, b1 = b2 = 0 (1/(k+1) at k = 5); edgeconv W_self = W_edge = I,
// bias 0 (h_i = max_j M_ij). Deterministic: no seed.
#pragma once
#include <cstdint>

#include "data/model_file.h"
#include "models/config.h"

namespace gs::models {

data::NamedTensors init_graph_params(const ModelConfig& config, uint64_t seed);
data::NamedTensors init_family_params(int64_t channels, InterFamily family);  // family_shapes order
data::NamedTensors init_decoder_params(const ModelConfig& config, uint64_t seed);

}  // namespace gs::models
