// Stylizing many content x style pairs with one model: each image is encoded once (the caller keeps
// its relu4_1) and the encoder's and decoder's weights are laid out once, not once per pair. The
// results equal models::Stylizer's stylize_adain and stylize_gnn (the same kernels in the same order).
#pragma once
#include "models/graph_stage.h"
#include "models/inference.h"
#include "models/stylizer.h"
#include "tensor/tensor.h"

namespace gs::eval {

class PairStylizer {
 public:
  explicit PairStylizer(const models::Stylizer& model);  // keeps a reference to the model

  // image: [1,3,H,W] -> relu4_1 [1,C,ceil(H/8),ceil(W/8)]
  Tensor encode(const Tensor& image) const;
  // fc, fs: relu4_1 of content and style; the content image is height x width -> [1,3,height,width]
  Tensor adain(const Tensor& fc, const Tensor& fs, float alpha, int64_t height, int64_t width) const;
  Tensor gnn(const Tensor& fc, const Tensor& fs, const models::GraphOptions& options, int64_t height,
             int64_t width) const;

 private:
  const models::Stylizer& model_;
  models::EncoderInference encoder_;
  models::DecoderInference decoder_;
};

}  // namespace gs::eval
