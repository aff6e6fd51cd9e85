// Quality metrics of a stylized image (issue 10), on the VGG features of the model's encoder:
//   content_relu4_1, content_relu3_1  mean((phi(out) - phi(content))^2): structure kept from the photo
//   style                              MODEL.md 4's Ls: mean/std of relu1_1..relu4_1 against the style
//   local_relu3_1, local_relu4_1      eval/local_style.h: 1 - best cosine of each 3x3 output patch
//   ssim                               eval/ssim.h: grey output against grey content
// Lower is better for all but ssim.
#pragma once
#include <array>
#include <string>

#include "models/config.h"
#include "models/inference.h"
#include "nn/module.h"
#include "tensor/tensor.h"

namespace gs::eval {

// What the metrics read of one image; small enough to keep one per content and style image.
struct Features {
  Tensor relu3_1, relu4_1;       // [C,h,w]
  std::array<Tensor, 4> mu, sigma;  // relu1_1..relu4_1 statistics (MODEL.md 2.9), each [1,C,1,1]
  Tensor grey;                   // [H,W]
};

// The model's encoder, its weights laid out once for every image it measures.
class FeatureEncoder {
 public:
  FeatureEncoder(const nn::Module& params, const models::ModelConfig& config) : encoder_(params, config) {}
  // image: [3,H,W] or [1,3,H,W] RGB in [0,1] -> its Features.
  Features operator()(const Tensor& image) const;

 private:
  models::EncoderInference encoder_;
};

struct Metrics {
  double content_relu4_1 = 0, content_relu3_1 = 0, style = 0, local_relu3_1 = 0, local_relu4_1 = 0, ssim = 0;

  static constexpr int kCount = 6;
  static const std::array<const char*, kCount>& names();  // as above, in this order
  std::array<double, kCount> values() const;
  static Metrics from_values(const std::array<double, kCount>& v);
};

// out and content from images of one size (the output as the user sees it: clamped to [0,1]).
Metrics measure(const Features& out, const Features& content, const Features& style);

// Parts of measure(), for tests. a, b: same shape.
double mean_squared_difference(const Tensor& a, const Tensor& b);
double mean_std_loss(const Features& out, const Features& style);

// The stylizer's output as saved to a file: clamped to [0,1] and rounded to 8 bits, so that metrics
// on a stylized tensor equal those on the saved image read back.
Tensor as_saved(const Tensor& image);

}  // namespace gs::eval
