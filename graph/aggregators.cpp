#include "graph/aggregators.h"

#include <stdexcept>
#include <string>

#include "autograd/ops.h"
#include "graph/max_fold.h"
#include "nn/conv2d.h"

namespace gs::graph {

namespace {

// x: [N,C,H,W], W: [Co,C], bias: [Co] or undefined -> [N,Co,H,W] (a 1x1 conv: W acts on each pixel).
ag::Variable pointwise(const ag::Variable& x, const ag::Variable& W, const ag::Variable& bias = {}) {
  return nn::conv2d(x, ag::reshape(W, {W.size(0), W.size(1), 1, 1}), bias);
}

ag::Variable pointwise_relu(const ag::Variable& x, const ag::Variable& W, const ag::Variable& bias) {
  return nn::conv2d_relu(x, ag::reshape(W, {W.size(0), W.size(1), 1, 1}), bias);
}

// fold_avg(sum_j weight M_ij): the mean message (weight 1/k) or the sum (weight 1), no gradient to the weight.
ag::Variable message_fold(const ag::Variable& fc, const ag::Variable& fs, const EdgeList& edges,
                          const ag::Variable& s, float weight, int64_t p) {
  const ag::Variable alpha(Tensor::full(edges.shape(), weight), false);
  return aggregate_fold(fs, edges, s, alpha, p, fc.size(2), fc.size(3));
}

void check_square(const ag::Variable& W, int64_t C, const char* what) {
  if (W.shape() != Shape{C, C})
    throw std::invalid_argument(std::string(what) + " must be [C,C] = " + shape_str({C, C}) + ", got " +
                                shape_str(W.shape()));
}

}  // namespace

ag::Variable sage_inter(const ag::Variable& fc, const ag::Variable& fs, const EdgeList& edges, const ag::Variable& s,
                        const ag::Variable& W_self, const ag::Variable& W_neigh, const ag::Variable& bias, int64_t p) {
  check_square(W_self, fc.size(1), "inter.sage.W_self");
  check_square(W_neigh, fc.size(1), "inter.sage.W_neigh");
  const ag::Variable A = message_fold(fc, fs, edges, s, 1.f / static_cast<float>(edges.k), p);
  // The fold is linear and each W acts per pixel, so W applied after the fold equals fold_avg of the
  // per-patch h_i = W_self x_i + W_neigh mean_j M_ij + b (fold_avg of the x_i is Fc).
  return ag::relu(ag::add(pointwise(fc, W_self), pointwise(A, W_neigh, bias)));
}

ag::Variable gin_inter(const ag::Variable& fc, const ag::Variable& fs, const EdgeList& edges, const ag::Variable& s,
                       const ag::Variable& eps, const ag::Variable& W1, const ag::Variable& b1, const ag::Variable& W2,
                       const ag::Variable& b2, int64_t p) {
  check_square(W1, fc.size(1), "inter.gin.W1");
  check_square(W2, fc.size(1), "inter.gin.W2");
  if (eps.numel() != 1) throw std::invalid_argument("inter.gin.eps must be [1], got " + shape_str(eps.shape()));
  const ag::Variable sum = message_fold(fc, fs, edges, s, 1.f, p);  // k A
  const ag::Variable self = ag::mul(fc, ag::add_scalar(ag::reshape(eps, {1, 1, 1, 1}), 1.f));
  return pointwise_relu(pointwise_relu(ag::add(self, sum), W1, b1), W2, b2);
}

ag::Variable edgeconv_inter(const ag::Variable& fc, const ag::Variable& fs, const EdgeList& edges,
                            const ag::Variable& s, const ag::Variable& W_self, const ag::Variable& W_edge,
                            const ag::Variable& bias, int64_t p) {
  check_square(W_self, fc.size(1), "inter.edgeconv.W_self");
  check_square(W_edge, fc.size(1), "inter.edgeconv.W_edge");
  const ag::Variable ys = pointwise(fs, W_edge);                        // W_edge M_ij = sample_ij(ys)
  const ag::Variable yc = pointwise(fc, ag::sub(W_self, W_edge), bias);  // (W_self - W_edge) x_i + b
  return max_message_fold(ys, yc, edges, s, p);
}

models::InterFamily inter_family(Aggregator a) {
  switch (a) {
    case Aggregator::gin: return models::InterFamily::gin;
    case Aggregator::edgeconv: return models::InterFamily::edgeconv;
    case Aggregator::sage: return models::InterFamily::sage;
    default: return models::InterFamily::none;
  }
}

std::string missing_inter_params(const nn::Module& params, int64_t channels, Aggregator aggregator) {
  std::string missing;
  for (const auto& [name, shape] : models::family_shapes(channels, inter_family(aggregator)))
    if (!params.has(name)) missing += (missing.empty() ? "" : ", ") + name;
  return missing;
}

GatOutput inter_stage(const nn::Module& params, const ag::Variable& fc, const ag::Variable& fs, const EdgeList& edges,
                      const ag::Variable& s, int64_t p, Aggregator aggregator) {
  if (aggregator == Aggregator::gat || aggregator == Aggregator::mean)
    return gat_inter(fc, fs, edges, s, params.get("inter.Wc"), params.get("inter.Ws"), params.get("inter.ac"),
                     params.get("inter.as"), p, aggregator);
  const std::string missing = missing_inter_params(params, fc.size(1), aggregator);
  if (!missing.empty())
    throw std::invalid_argument(std::string("aggregator ") + to_string(aggregator) + " needs " + missing +
                                ", which the model does not have (it was not trained with " + to_string(aggregator) + ")");
  const ag::Variable uniform(Tensor::full(edges.shape(), 1.f / static_cast<float>(edges.k)), false);
  auto get = [&](const char* name) { return params.get(std::string("inter.") + to_string(aggregator) + "." + name); };
  switch (aggregator) {
    case Aggregator::sage:
      return {sage_inter(fc, fs, edges, s, get("W_self"), get("W_neigh"), get("bias"), p), uniform};
    case Aggregator::gin:
      return {gin_inter(fc, fs, edges, s, get("eps"), get("W1"), get("b1"), get("W2"), get("b2"), p), uniform};
    default:
      return {edgeconv_inter(fc, fs, edges, s, get("W_self"), get("W_edge"), get("bias"), p), uniform};
  }
}

}  // namespace gs::graph
