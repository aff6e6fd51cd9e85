#include "nn/statistics.h"

#include <stdexcept>

#include "autograd/ops.h"

namespace gs::nn {

// x: [N,C,H,W] -> mu, sigma: [N,C,1,1]
std::pair<ag::Variable, ag::Variable> mean_std(const ag::Variable& x, float eps) {
  if (x.dim() != 4) throw std::invalid_argument("mean_std needs [N,C,H,W], got " + shape_str(x.shape()));
  const int64_t n = x.size(2) * x.size(3);
  if (n < 2)
    throw std::invalid_argument("mean_std: the unbiased variance needs at least 2 pixels, got a map of shape " +
                                shape_str(x.shape()));
  ag::Variable mu = ag::mean(x, {2, 3}, true);
  ag::Variable centred = ag::sub(x, mu);
  ag::Variable var = ag::mul_scalar(ag::sum(ag::mul(centred, centred), {2, 3}, true), 1.f / float(n - 1));
  return {mu, ag::sqrt(ag::add_scalar(var, eps))};
}

ag::Variable adain(const ag::Variable& content, const ag::Variable& style, float eps) {
  if (content.dim() != 4 || style.dim() != 4 || content.size(0) != style.size(0) || content.size(1) != style.size(1))
    throw std::invalid_argument("adain: content " + shape_str(content.shape()) + " and style " +
                                shape_str(style.shape()) + " need the same batch size and channels");
  auto [mc, sc] = mean_std(content, eps);
  auto [ms, ss] = mean_std(style, eps);
  return ag::add(ag::mul(ag::div(ss, sc), ag::sub(content, mc)), ms);
}

ag::Variable adain_mix(const ag::Variable& content, const ag::Variable& style, float alpha, float eps) {
  if (alpha < 0.f || alpha > 1.f) throw std::invalid_argument("alpha must be in [0, 1], got " + std::to_string(alpha));
  ag::Variable t = adain(content, style, eps);
  if (alpha == 1.f) return t;
  return ag::add(ag::mul_scalar(t, alpha), ag::mul_scalar(content, 1.f - alpha));
}

}  // namespace gs::nn
