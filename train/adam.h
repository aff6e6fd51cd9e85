// Adam (Kingma & Ba), as PyTorch implements it, with MODEL.md 4's schedule lr_t = lr / (1 + decay t),
// t = 0 at the first step. Its state (step, first and second moments) is saved in checkpoints.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "autograd/variable.h"

namespace gs::train {

struct AdamOptions {
  float lr = 1e-4f;
  float beta1 = 0.9f, beta2 = 0.999f;
  float eps = 1e-8f;
  float lr_decay = 5e-5f;  // lr_t = lr / (1 + lr_decay * t)
};

class Adam {
 public:
  // The parameters are handles: updates write into the variables the model holds. `lr_scales`, one per
  // parameter (empty: all 1), multiplies the learning rate of that parameter: a pretrained decoder wants
  // smaller steps than graph parameters that start from their initialisation.
  Adam(std::vector<ag::Variable> params, AdamOptions options = {}, std::vector<float> lr_scales = {});

  float learning_rate() const;  // at the coming step
  // One update from the parameters' current gradients (a parameter without one is left alone).
  void step();
  void zero_grad();

  int64_t steps_done() const { return step_; }
  // For checkpoints: the moments, in parameter order.
  std::vector<Tensor>& first_moments() { return m_; }
  std::vector<Tensor>& second_moments() { return v_; }
  void set_steps_done(int64_t step) { step_ = step; }
  const AdamOptions& options() const { return options_; }

 private:
  std::vector<ag::Variable> params_;
  AdamOptions options_;
  std::vector<float> lr_scales_;
  std::vector<Tensor> m_, v_;
  int64_t step_ = 0;
};

}  // namespace gs::train
