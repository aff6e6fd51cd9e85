#include "models/decoder.h"

#include <stdexcept>

#include "arch/network.h"
#include "models/encoder.h"
#include "models/inference.h"
#include "nn/conv2d.h"
#include "nn/image_layers.h"

namespace gs::models {

ag::Variable decode(const nn::Module& p, const ModelConfig& config, const ag::Variable& t) {
  if (!needs_graph(p, "decoder.", t))  // under a training step's bf16 scope, in bf16 too
    return ag::Variable(DecoderInference(p, config, nn::bf16_conv_scope() ? Precision::bf16 : Precision::fp32)(t.value()));
  return decode_layers(p, config, t);
}

ag::Variable decode_layers(const nn::Module& p, const ModelConfig& config, const ag::Variable& t) {
  if (t.dim() != 4 || t.size(1) != config.channels())
    throw std::invalid_argument("decoder input must be [N," + std::to_string(config.channels()) + ",h,w], got " +
                                shape_str(t.shape()));
  const nn::Upsample mode = config.upsample == UpsampleMode::nearest ? nn::Upsample::nearest : nn::Upsample::bilinear;
  ag::Variable h = t;
  for (const arch::ConvLayer& l : arch::decoder_layers()) {
    const std::string name = std::string("decoder.") + l.name;
    const ag::Variable& w = p.get(name + ".weight");
    const ag::Variable& b = p.get(name + ".bias");
    h = l.relu ? nn::reflect_conv3x3_relu(h, w, b) : nn::reflect_conv3x3(h, w, b);
    if (l.upsample_after) h = nn::upsample2x(h, mode);
  }
  return h;
}

}  // namespace gs::models
