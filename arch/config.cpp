#include "arch/config.h"

#include <stdexcept>

#include "arch/network.h"

namespace gs::models {

std::string to_string(EncoderLayout layout) {
  return layout == EncoderLayout::vgg_normalised ? "vgg_normalised" : "torchvision";
}

std::string to_string(UpsampleMode mode) { return mode == UpsampleMode::nearest ? "nearest" : "bilinear"; }

EncoderLayout parse_encoder_layout(const std::string& text) {
  if (text == "vgg_normalised") return EncoderLayout::vgg_normalised;
  if (text == "torchvision") return EncoderLayout::torchvision;
  throw std::invalid_argument("encoder layout '" + text + "': expected vgg_normalised or torchvision");
}

UpsampleMode parse_upsample_mode(const std::string& text) {
  if (text == "nearest") return UpsampleMode::nearest;
  if (text == "bilinear") return UpsampleMode::bilinear;
  throw std::invalid_argument("upsampling mode '" + text + "': expected nearest or bilinear");
}

std::string to_string(InterFamily family) {
  switch (family) {
    case InterFamily::gin: return "gin";
    case InterFamily::edgeconv: return "edgeconv";
    case InterFamily::sage: return "sage";
    default: return "none";
  }
}

InterFamily parse_inter_family(const std::string& text) {
  for (InterFamily f : {InterFamily::none, InterFamily::gin, InterFamily::edgeconv, InterFamily::sage})
    if (text == to_string(f)) return f;
  throw std::invalid_argument("inter family '" + text + "': expected none, gin, edgeconv or sage");
}

std::vector<std::string> encoder_conv_names(EncoderLayout layout) {
  std::vector<std::string> names;
  for (const arch::ConvLayer& l : arch::encoder_layers())
    if (layout == EncoderLayout::vgg_normalised || l.torchvision_index >= 0) names.push_back(l.name);
  return names;
}

const std::vector<std::string>& decoder_conv_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const arch::ConvLayer& l : arch::decoder_layers()) out.push_back(l.name);
    return out;
  }();
  return names;
}

namespace {
void add_conv(ParameterShapes& out, const std::string& name, int64_t in, int64_t out_ch, int64_t kernel) {
  out.push_back({name + ".weight", {out_ch, in, kernel, kernel}});
  out.push_back({name + ".bias", {out_ch}});
}
}  // namespace

ParameterShapes encoder_shapes(const ModelConfig& c) {
  ParameterShapes out;
  for (const arch::ConvLayer& l : arch::encoder_layers())
    if (c.encoder == EncoderLayout::vgg_normalised || l.torchvision_index >= 0)
      add_conv(out, std::string("encoder.") + l.name, arch::channels(l.in, c.widths), arch::channels(l.out, c.widths),
               l.kernel);
  return out;
}

ParameterShapes graph_shapes(const ModelConfig& c) {
  const int64_t C = c.channels();
  ParameterShapes out;
  add_conv(out, "scale.conv1", C, c.scale_hidden, 3);
  add_conv(out, "scale.conv2", c.scale_hidden, 1, 3);
  out.push_back({"inter.Wc", {c.d, C}});
  out.push_back({"inter.Ws", {c.d, C}});
  out.push_back({"inter.ac", {c.d}});
  out.push_back({"inter.as", {c.d}});
  out.push_back({"intra.Wk", {c.d, C}});
  out.push_back({"intra.aq", {c.d}});
  out.push_back({"intra.ak", {c.d}});
  for (auto& f : family_shapes(C, c.family)) out.push_back(f);
  return out;
}

// 1x1 convs are stored as [C,C] matrices (output, input), like inter.Wc.
ParameterShapes family_shapes(int64_t C, InterFamily family) {
  switch (family) {
    case InterFamily::gin:
      return {{"inter.gin.eps", {1}}, {"inter.gin.W1", {C, C}}, {"inter.gin.b1", {C}}, {"inter.gin.W2", {C, C}},
              {"inter.gin.b2", {C}}};
    case InterFamily::edgeconv:
      return {{"inter.edgeconv.W_self", {C, C}}, {"inter.edgeconv.W_edge", {C, C}}, {"inter.edgeconv.bias", {C}}};
    case InterFamily::sage:
      return {{"inter.sage.W_self", {C, C}}, {"inter.sage.W_neigh", {C, C}}, {"inter.sage.bias", {C}}};
    default:
      return {};
  }
}

ParameterShapes decoder_shapes(const ModelConfig& c) {
  ParameterShapes out;
  for (const arch::ConvLayer& l : arch::decoder_layers())
    add_conv(out, std::string("decoder.") + l.name, arch::channels(l.in, c.widths), arch::channels(l.out, c.widths),
             l.kernel);
  return out;
}

ParameterShapes parameter_shapes(const ModelConfig& c) {
  ParameterShapes all = encoder_shapes(c);
  for (auto part : {graph_shapes(c), decoder_shapes(c)}) all.insert(all.end(), part.begin(), part.end());
  return all;
}

}  // namespace gs::models
