#include "models/decoder.h"

#include <stdexcept>

#include "models/encoder.h"
#include "models/inference.h"
#include "nn/conv2d.h"
#include "nn/image_layers.h"

namespace gs::models {

ag::Variable decode(const nn::Module& p, const ModelConfig& config, const ag::Variable& t) {
  if (!needs_graph(p, "decoder.", t)) return ag::Variable(DecoderInference(p, config)(t.value()));
  return decode_layers(p, config, t);
}

ag::Variable decode_layers(const nn::Module& p, const ModelConfig& config, const ag::Variable& t) {
  if (t.dim() != 4 || t.size(1) != config.channels())
    throw std::invalid_argument("decoder input must be [N," + std::to_string(config.channels()) + ",h,w], got " +
                                shape_str(t.shape()));
  const nn::Upsample mode = config.upsample == UpsampleMode::nearest ? nn::Upsample::nearest : nn::Upsample::bilinear;
  ag::Variable h = t;
  for (const std::string& name : decoder_conv_names()) {
    const ag::Variable& w = p.get("decoder." + name + ".weight");
    const ag::Variable& b = p.get("decoder." + name + ".bias");
    // The last conv has no activation: its output is the image.
    h = name == "dec1_1" ? nn::reflect_conv3x3(h, w, b) : nn::reflect_conv3x3_relu(h, w, b);
    if (name == "dec4_1" || name == "dec3_1" || name == "dec2_1") h = nn::upsample2x(h, mode);
  }
  return h;
}

}  // namespace gs::models
