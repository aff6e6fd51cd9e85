// Per-channel statistics over space and the AdaIN transform built on them (MODEL.md 2.9).
#pragma once
#include <utility>

#include "autograd/variable.h"

namespace gs::nn {

constexpr float kStdEps = 1e-5f;  // sigma = sqrt(unbiased variance + eps), MODEL.md 2.9

// x: [N,C,H,W] -> (mu, sigma), each [N,C,1,1]; unbiased variance over H*W (needs H*W >= 2).
std::pair<ag::Variable, ag::Variable> mean_std(const ag::Variable& x, float eps = kStdEps);

// content: [N,C,H,W], style: [N,C,Hs,Ws] -> [N,C,H,W]: sigma(s) (c - mu(c)) / sigma(c) + mu(s).
ag::Variable adain(const ag::Variable& content, const ag::Variable& style, float eps = kStdEps);

// alpha * adain(content, style) + (1 - alpha) * content: the stylization-strength control.
ag::Variable adain_mix(const ag::Variable& content, const ag::Variable& style, float alpha, float eps = kStdEps);

}  // namespace gs::nn
