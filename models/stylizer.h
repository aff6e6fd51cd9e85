// The whole model: encoder, graph stage (or AdaIN), decoder, with its parameters by canonical name.
#pragma once
#include <string>

#include "autograd/variable.h"
#include "data/model_file.h"
#include "models/config.h"
#include "models/graph_stage.h"
#include "nn/module.h"

namespace gs::models {

class Stylizer {
 public:
  Stylizer(ModelConfig config, const data::NamedTensors& params);  // checks names and shapes
  static Stylizer load(const std::string& model_path);             // a model file or checkpoint

  const ModelConfig& config() const { return config_; }
  nn::Module& params() { return params_; }
  const nn::Module& params() const { return params_; }
  data::NamedTensors named_tensors() const;  // for saving

  // x: [N,3,H,W] -> relu4_1 [N,C,ceil(H/8),ceil(W/8)]
  ag::Variable encode(const ag::Variable& x) const;
  // t: [N,C,h,w] -> [N,3,8h,8w], not clamped
  ag::Variable decode(const ag::Variable& t) const;

  // content: [1,3,H,W], style: [1,3,Hs,Ws] -> [1,3,H,W] (decoder output cropped to the content size)
  Tensor stylize_adain(const Tensor& content, const Tensor& style, float alpha) const;
  // The GNN stylizer (MODEL.md 2); `trace` receives the graph stage's intermediates if given.
  Tensor stylize_gnn(const Tensor& content, const Tensor& style, const GraphOptions& options,
                     GraphTrace* trace = nullptr) const;

 private:
  ModelConfig config_;
  nn::Module params_;
};

// The decoder's output is a multiple of 8 on each side; the image is the top-left H x W of it.
Tensor crop_to(const Tensor& image, int64_t height, int64_t width);

}  // namespace gs::models
