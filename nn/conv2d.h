// Convolution as autograd ops (the kernels are in nn/onednn_conv.h).
#pragma once
#include "autograd/variable.h"
#include "nn/onednn_conv.h"

namespace gs::nn {

// x: [N,Ci,H,W], w: [Co,Ci,k,k], bias: [Co] or an undefined Variable -> [N,Co,Ho,Wo]
// Zero padding; Ho = floor((H + 2 pad - k) / stride) + 1.
ag::Variable conv2d(const ag::Variable& x, const ag::Variable& w, const ag::Variable& bias = {}, Conv2dParams p = {});

// relu(conv2d(x, w, bias)) in one oneDNN primitive (ReLU as a post-op). Exact, gradients included:
// relu(z) > 0 exactly where z > 0, so the backward masks the incoming gradient by the output and
// never needs z (ReLU'(0) = 0, as everywhere in the project).
ag::Variable conv2d_relu(const ag::Variable& x, const ag::Variable& w, const ag::Variable& bias = {},
                         Conv2dParams p = {});

// MODEL.md's conv block: reflect-pad 1, then a 3x3 conv without padding.
// x: [N,Ci,H,W], w: [Co,Ci,3,3], b: [Co] or undefined -> [N,Co,H,W]
ag::Variable reflect_conv3x3(const ag::Variable& x, const ag::Variable& w, const ag::Variable& b);
// The same followed by ReLU (every encoder conv and every decoder conv but the last).
ag::Variable reflect_conv3x3_relu(const ag::Variable& x, const ag::Variable& w, const ag::Variable& b);

}  // namespace gs::nn
