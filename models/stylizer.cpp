#include "models/stylizer.h"

#include <stdexcept>

#include "models/decoder.h"
#include "models/encoder.h"
#include "models/inference.h"
#include "nn/statistics.h"

namespace gs::models {

Stylizer::Stylizer(ModelConfig config, const data::NamedTensors& params) : config_(config) {
  data::check_parameters(params, parameter_shapes(config_), "model");
  for (const auto& [name, shape] : parameter_shapes(config_))
    for (const auto& [n, t] : params)
      if (n == name) params_.add_parameter(n, t);
  // The encoder is the frozen loss network (MODEL.md 4).
  params_.set_trainable("encoder.", false);
}

Stylizer Stylizer::load(const std::string& model_path) {
  data::ModelFile m = data::load_model_file(model_path);
  return Stylizer(m.config, m.params);
}

data::NamedTensors Stylizer::named_tensors() const {
  data::NamedTensors out;
  for (const nn::Parameter& p : params_.parameters()) out.push_back({p.name, p.var.value()});
  return out;
}

ag::Variable Stylizer::encode(const ag::Variable& x) const { return encode_relu4_1(params_, config_, x); }

ag::Variable Stylizer::decode(const ag::Variable& t) const { return models::decode(params_, config_, t); }

Tensor crop_to(const Tensor& image, int64_t height, int64_t width) {
  if (image.size(2) < height || image.size(3) < width)
    throw std::logic_error("decoder output " + shape_str(image.shape()) + " is smaller than the content image");
  if (image.size(2) == height && image.size(3) == width) return image;
  return image.slice(2, 0, height).slice(3, 0, width).contiguous();
}

Tensor Stylizer::stylize_adain(const Tensor& content, const Tensor& style, float alpha) const {
  ag::NoGradGuard no_grad;
  Tensor t;
  {  // the features go before the decoder takes its buffers
    const EncoderInference encoder(params_, config_);  // lays the weights out once for both images
    t = nn::adain_mix(ag::Variable(encoder(content)), ag::Variable(encoder(style)), alpha).value();
  }
  return crop_to(DecoderInference(params_, config_)(t), content.size(2), content.size(3));
}

Tensor Stylizer::stylize_gnn(const Tensor& content, const Tensor& style, const GraphOptions& options,
                             GraphTrace* trace) const {
  ag::NoGradGuard no_grad;
  Tensor t;
  {  // the features go before the decoder takes its buffers
    const EncoderInference encoder(params_, config_);
    const ag::Variable fc(encoder(content)), fs(encoder(style));
    t = graph_stage(params_, config_, fc, fs, options, trace).value();
  }
  return crop_to(DecoderInference(params_, config_)(t), content.size(2), content.size(3));
}

}  // namespace gs::models
