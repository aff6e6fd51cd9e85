#include "models/config.h"

#include <stdexcept>

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

std::vector<std::string> encoder_conv_names(EncoderLayout layout) {
  std::vector<std::string> names{"conv1_1", "conv1_2", "conv2_1", "conv2_2", "conv3_1",
                                 "conv3_2", "conv3_3", "conv3_4", "conv4_1"};
  if (layout == EncoderLayout::vgg_normalised) names.insert(names.begin(), "conv0");
  return names;
}

const std::vector<std::string>& decoder_conv_names() {
  static const std::vector<std::string> names{"dec4_1", "dec3_4", "dec3_3", "dec3_2", "dec3_1",
                                              "dec2_2", "dec2_1", "dec1_2", "dec1_1"};
  return names;
}

namespace {
void add_conv(ParameterShapes& out, const std::string& name, int64_t in, int64_t out_ch, int64_t kernel) {
  out.push_back({name + ".weight", {out_ch, in, kernel, kernel}});
  out.push_back({name + ".bias", {out_ch}});
}
}  // namespace

ParameterShapes encoder_shapes(const ModelConfig& c) {
  const auto [w1, w2, w3, w4] = c.widths;
  ParameterShapes out;
  if (c.encoder == EncoderLayout::vgg_normalised) add_conv(out, "encoder.conv0", 3, 3, 1);
  const std::vector<std::pair<int64_t, int64_t>> io{{3, w1},  {w1, w1}, {w1, w2}, {w2, w2}, {w2, w3},
                                                    {w3, w3}, {w3, w3}, {w3, w3}, {w3, w4}};
  const std::vector<std::string> names = encoder_conv_names(EncoderLayout::torchvision);
  for (size_t i = 0; i < names.size(); ++i) add_conv(out, "encoder." + names[i], io[i].first, io[i].second, 3);
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
  return out;
}

ParameterShapes decoder_shapes(const ModelConfig& c) {
  const auto [w1, w2, w3, w4] = c.widths;
  const std::vector<std::pair<int64_t, int64_t>> io{{w4, w3}, {w3, w3}, {w3, w3}, {w3, w3}, {w3, w2},
                                                    {w2, w2}, {w2, w1}, {w1, w1}, {w1, 3}};
  ParameterShapes out;
  for (size_t i = 0; i < io.size(); ++i) add_conv(out, "decoder." + decoder_conv_names()[i], io[i].first, io[i].second, 3);
  return out;
}

ParameterShapes parameter_shapes(const ModelConfig& c) {
  ParameterShapes all = encoder_shapes(c);
  for (auto part : {graph_shapes(c), decoder_shapes(c)}) all.insert(all.end(), part.begin(), part.end());
  return all;
}

}  // namespace gs::models
