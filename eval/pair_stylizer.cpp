#include "eval/pair_stylizer.h"

#include "autograd/variable.h"
#include "nn/statistics.h"

namespace gs::eval {

PairStylizer::PairStylizer(const models::Stylizer& model)
    : model_(model), encoder_(model.params(), model.config()), decoder_(model.params(), model.config()) {}

Tensor PairStylizer::encode(const Tensor& image) const { return encoder_(image); }

Tensor PairStylizer::adain(const Tensor& fc, const Tensor& fs, float alpha, int64_t height, int64_t width) const {
  ag::NoGradGuard no_grad;
  const Tensor t = nn::adain_mix(ag::Variable(fc), ag::Variable(fs), alpha).value();
  return models::crop_to(decoder_(t), height, width);
}

Tensor PairStylizer::gnn(const Tensor& fc, const Tensor& fs, const models::GraphOptions& options, int64_t height,
                         int64_t width) const {
  ag::NoGradGuard no_grad;
  const Tensor t = models::graph_stage(model_.params(), model_.config(), ag::Variable(fc), ag::Variable(fs), options).value();
  return models::crop_to(decoder_(t), height, width);
}

}  // namespace gs::eval
