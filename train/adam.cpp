#include "train/adam.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace gs::train {

Adam::Adam(std::vector<ag::Variable> params, AdamOptions options, std::vector<float> lr_scales)
    : params_(std::move(params)), options_(options), lr_scales_(std::move(lr_scales)) {
  if (lr_scales_.empty()) lr_scales_.assign(params_.size(), 1.f);
  if (lr_scales_.size() != params_.size())
    throw std::invalid_argument("Adam: " + std::to_string(lr_scales_.size()) + " learning-rate scales for " +
                                std::to_string(params_.size()) + " parameters");
  for (const ag::Variable& p : params_) {
    m_.push_back(Tensor::zeros(p.shape()));
    v_.push_back(Tensor::zeros(p.shape()));
  }
}

float Adam::learning_rate() const { return options_.lr / (1.f + options_.lr_decay * static_cast<float>(step_)); }

void Adam::step() {
  const float lr = learning_rate();
  const int64_t t = step_ + 1;  // bias corrections count from 1
  const double bc1 = 1.0 - std::pow(double(options_.beta1), double(t));
  const double bc2 = 1.0 - std::pow(double(options_.beta2), double(t));
  const float b1 = options_.beta1, b2 = options_.beta2, eps = options_.eps;
  for (size_t i = 0; i < params_.size(); ++i) {
    ag::Variable& p = params_[i];
    if (!p.has_grad()) continue;
    const Tensor g = p.grad().contiguous();
    float* w = p.value().data();
    float* m = m_[i].data();
    float* v = v_[i].data();
    const float* gd = g.data();
    const int64_t n = g.numel();
    // PyTorch's order of operations: p -= lr * (m / bc1) / (sqrt(v / bc2) + eps).
    const float step_size = static_cast<float>(lr * lr_scales_[i] / bc1);
    const float inv_sqrt_bc2 = static_cast<float>(1.0 / std::sqrt(bc2));
#pragma omp parallel for simd if (n > (1 << 15))
    for (int64_t j = 0; j < n; ++j) {
      m[j] = b1 * m[j] + (1.f - b1) * gd[j];
      v[j] = b2 * v[j] + (1.f - b2) * gd[j] * gd[j];
      w[j] -= step_size * m[j] / (std::sqrt(v[j]) * inv_sqrt_bc2 + eps);
    }
  }
  ++step_;
}

void Adam::zero_grad() {
  for (ag::Variable& p : params_) p.zero_grad();
}

}  // namespace gs::train
