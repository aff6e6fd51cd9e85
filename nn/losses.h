// The style-transfer losses of MODEL.md 4.
#pragma once
#include <vector>

#include "autograd/variable.h"

namespace gs::nn {

// Lc = mean((phi(out) - t)^2); the target is detached here, so no gradient ever reaches it.
ag::Variable content_loss(const ag::Variable& out_features, const ag::Variable& target);

// Ls = sum over layers of mean((mu_o - mu_s)^2) + mean((sigma_o - sigma_s)^2); the style features
// are constants (the encoder is frozen and the style image is an input).
ag::Variable style_loss(const std::vector<ag::Variable>& out_features, const std::vector<ag::Variable>& style_features);

}  // namespace gs::nn
