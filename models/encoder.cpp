#include "models/encoder.h"

#include <algorithm>
#include <stdexcept>

#include "autograd/ops.h"
#include "arch/network.h"
#include "models/inference.h"
#include "nn/conv2d.h"
#include "nn/image_layers.h"

namespace gs::models {

namespace {
// Which relu output (1..4) each conv of the torchvision-named list ends, and where pools follow.
const arch::ConvLayer& layer(const std::string& conv) { return *arch::find_layer(arch::encoder_layers(), conv.c_str()); }
int relu_level(const std::string& conv) { return layer(conv).relu_level; }
bool pool_after(const std::string& conv) { return layer(conv).pool_after; }

// torchvision's input normalisation: (x - mean) / std per RGB channel.
ag::Variable imagenet_normalise(const ag::Variable& x) {
  const Tensor mean({1, 3, 1, 1}, {0.485f, 0.456f, 0.406f});
  const Tensor inv_std({1, 3, 1, 1}, {1 / 0.229f, 1 / 0.224f, 1 / 0.225f});
  return ag::mul(ag::sub(x, ag::Variable(mean)), ag::Variable(inv_std));
}
}  // namespace

std::vector<ag::Variable> encode(const nn::Module& p, const ModelConfig& config, const ag::Variable& x,
                                 const std::vector<int>& layers) {
  if (x.dim() != 4 || x.size(1) != 3)
    throw std::invalid_argument("encoder input must be [N,3,H,W] RGB, got " + shape_str(x.shape()));
  if (layers.empty()) throw std::invalid_argument("encode: no layers requested");
  for (int l : layers)
    if (l < 1 || l > 4) throw std::invalid_argument("encode: layer " + std::to_string(l) + " is not one of relu1_1..relu4_1");
  const int deepest = *std::max_element(layers.begin(), layers.end());
  std::vector<ag::Variable> level(5);

  ag::Variable h = x;
  if (config.encoder == EncoderLayout::vgg_normalised) {
    h = nn::conv2d(h, p.get("encoder.conv0.weight"), p.get("encoder.conv0.bias"));
  } else {
    h = imagenet_normalise(h);
  }
  for (const std::string& name : encoder_conv_names(EncoderLayout::torchvision)) {
    const ag::Variable& w = p.get("encoder." + name + ".weight");
    const ag::Variable& b = p.get("encoder." + name + ".bias");
    h = config.encoder == EncoderLayout::vgg_normalised ? nn::reflect_conv3x3_relu(h, w, b)
                                                        : nn::conv2d_relu(h, w, b, nn::Conv2dParams{1, 1});
    const int l = relu_level(name);
    if (l) level[l] = h;
    if (l == deepest) break;
    if (pool_after(name)) h = nn::max_pool2x2_ceil(h);
  }
  std::vector<ag::Variable> out;
  for (int l : layers) out.push_back(level[l]);
  return out;
}

bool needs_graph(const nn::Module& params, const std::string& prefix, const ag::Variable& x) {
  if (!ag::grad_enabled()) return false;
  if (x.requires_grad()) return true;
  for (const nn::Parameter& p : params.parameters())
    if (p.name.rfind(prefix, 0) == 0 && p.var.requires_grad()) return true;
  return false;
}

ag::Variable encode_relu4_1(const nn::Module& params, const ModelConfig& config, const ag::Variable& x) {
  if (!needs_graph(params, "encoder.", x))  // under a training step's bf16 scope, in bf16 too
    return ag::Variable(
        EncoderInference(params, config, nn::bf16_conv_scope() ? Precision::bf16 : Precision::fp32)(x.value()));
  return encode(params, config, x, {4})[0];
}

}  // namespace gs::models
