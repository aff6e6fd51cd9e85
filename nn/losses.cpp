#include "nn/losses.h"

#include <stdexcept>

#include "autograd/ops.h"
#include "nn/statistics.h"

namespace gs::nn {

ag::Variable content_loss(const ag::Variable& out_features, const ag::Variable& target) {
  return ag::mse_loss(out_features, target.detach());
}

ag::Variable style_loss(const std::vector<ag::Variable>& out_features, const std::vector<ag::Variable>& style_features) {
  if (out_features.size() != style_features.size() || out_features.empty())
    throw std::invalid_argument("style_loss: " + std::to_string(out_features.size()) + " output layers and " +
                                std::to_string(style_features.size()) + " style layers");
  ag::Variable total;
  for (size_t l = 0; l < out_features.size(); ++l) {
    auto [mo, so] = mean_std(out_features[l]);
    auto [ms, ss] = mean_std(style_features[l].detach());
    ag::Variable term = ag::add(ag::mse_loss(mo, ms), ag::mse_loss(so, ss));
    total = total.defined() ? ag::add(total, term) : term;
  }
  return total;
}

}  // namespace gs::nn
