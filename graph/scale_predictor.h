// The deformable scale of every content node (MODEL.md 2.4): a small conv net on relu4_1 predicts
// a scale map S in [s_min, s_max]; node i takes S at its patch centre, times the stroke control,
// clamped to [0.25, 4].
#pragma once
#include "autograd/variable.h"
#include "nn/module.h"

namespace gs::graph {

constexpr float kStrokeMin = 0.25f, kStrokeMax = 4.f;

// fc: [N,C,H,W] -> S: [N,1,H,W] = s_min + (s_max - s_min) sigmoid(conv2(relu(conv1(fc))))
ag::Variable scale_map(const nn::Module& params, const ag::Variable& fc, float s_min, float s_max);

// S: [N,1,H,W] -> s: [N,Nc] = clamp(stroke * S[centre of node i], 0.25, 4); no gradient where clamped.
ag::Variable node_scales(const ag::Variable& S, int64_t p, float stroke);

}  // namespace gs::graph
