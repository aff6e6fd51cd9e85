#include "data/released_weights.h"

#include <stdexcept>
#include <utility>
#include <vector>

namespace gs::data {

namespace {

// One convolution of the model: its canonical prefix and weight shape [out, in, kh, kw].
struct Conv {
  const char* name;
  Shape weight;
};

// clang-format off
const std::vector<Conv> kEncoderConvs = {
    {"encoder.conv0", {3, 3, 1, 1}},        {"encoder.conv1_1", {64, 3, 3, 3}},
    {"encoder.conv1_2", {64, 64, 3, 3}},    {"encoder.conv2_1", {128, 64, 3, 3}},
    {"encoder.conv2_2", {128, 128, 3, 3}},  {"encoder.conv3_1", {256, 128, 3, 3}},
    {"encoder.conv3_2", {256, 256, 3, 3}},  {"encoder.conv3_3", {256, 256, 3, 3}},
    {"encoder.conv3_4", {256, 256, 3, 3}},  {"encoder.conv4_1", {512, 256, 3, 3}},
};
const std::vector<Conv> kDecoderConvs = {
    {"decoder.dec4_1", {256, 512, 3, 3}}, {"decoder.dec3_4", {256, 256, 3, 3}}, {"decoder.dec3_3", {256, 256, 3, 3}},
    {"decoder.dec3_2", {256, 256, 3, 3}}, {"decoder.dec3_1", {128, 256, 3, 3}}, {"decoder.dec2_2", {128, 128, 3, 3}},
    {"decoder.dec2_1", {64, 128, 3, 3}},  {"decoder.dec1_2", {64, 64, 3, 3}},   {"decoder.dec1_1", {3, 64, 3, 3}},
};

// Released key prefix -> canonical prefix, in model order (MODEL.md section 5).
using PrefixMap = std::vector<std::pair<std::string, std::string>>;

const PrefixMap kVggNormalised = {
    {"0", "encoder.conv0"},       {"2", "encoder.conv1_1"},     {"5", "encoder.conv1_2"},
    {"9", "encoder.conv2_1"},     {"12", "encoder.conv2_2"},    {"16", "encoder.conv3_1"},
    {"19", "encoder.conv3_2"},    {"22", "encoder.conv3_3"},    {"25", "encoder.conv3_4"},
    {"29", "encoder.conv4_1"},
};
const PrefixMap kAdainDecoder = {
    {"1", "decoder.dec4_1"},  {"5", "decoder.dec3_4"},  {"8", "decoder.dec3_3"},
    {"11", "decoder.dec3_2"}, {"14", "decoder.dec3_1"}, {"18", "decoder.dec2_2"},
    {"21", "decoder.dec2_1"}, {"25", "decoder.dec1_2"}, {"28", "decoder.dec1_1"},
};
const PrefixMap kTorchvisionVgg19 = {
    {"features.0", "encoder.conv1_1"},  {"features.2", "encoder.conv1_2"},  {"features.5", "encoder.conv2_1"},
    {"features.7", "encoder.conv2_2"},  {"features.10", "encoder.conv3_1"}, {"features.12", "encoder.conv3_2"},
    {"features.14", "encoder.conv3_3"}, {"features.16", "encoder.conv3_4"}, {"features.19", "encoder.conv4_1"},
};
// clang-format on

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// "a, b, c, ..." from the first few keys of a state dict.
std::string some_keys(const StateDict& state) {
  constexpr size_t kShown = 4;
  std::string out;
  size_t n = 0;
  for (const auto& [key, tensor] : state) {
    if (n++ == kShown) return out + ", ...";
    out += (out.empty() ? "" : ", ") + key;
  }
  return out.empty() ? "no keys" : out;
}

// Fails unless `state` is in the `expected` layout, saying which layout it looks like instead.
void require_layout(const StateDict& state, WeightLayout expected, const std::string& source) {
  WeightLayout found = detect_layout(state);
  if (found == expected) return;
  std::string looks = found == WeightLayout::unknown ? "is not a known weight layout (keys " + some_keys(state) + ")"
                                                     : "looks like " + describe_layout(found);
  throw std::runtime_error(source + " " + looks + ", expected " + describe_layout(expected));
}

// Copies `released.weight` / `.bias` to `canonical.weight` / `.bias` for each pair, checking shapes.
StateDict rename_convs(const StateDict& state, const PrefixMap& prefixes, const std::string& layout,
                       const std::string& source) {
  StateDict out;
  for (const auto& [released, canonical] : prefixes) {
    for (const char* suffix : {".weight", ".bias"}) {
      const std::string key = released + suffix;
      const std::string name = canonical + suffix;
      const std::string named = "'" + key + "'" + (key == name ? "" : " (" + name + ")");
      auto it = state.find(key);
      if (it == state.end())
        throw std::runtime_error(source + ": missing key " + named + " in the " + layout + " state dict");
      Shape expected = expected_shape(name);
      if (it->second.shape() != expected)
        throw std::runtime_error(source + ": " + named + " has shape " + shape_str(it->second.shape()) + ", expected " +
                                 shape_str(expected));
      out[name] = it->second;
    }
  }
  return out;
}

// The canonical entries of one part (encoder or decoder) of a canonical state dict.
StateDict canonical_part(const StateDict& state, const std::vector<Conv>& convs, const std::string& source) {
  PrefixMap identity;
  for (const Conv& conv : convs) identity.emplace_back(conv.name, conv.name);
  return rename_convs(state, identity, "canonical", source);
}

}  // namespace

WeightLayout detect_layout(const StateDict& state) {
  for (const auto& [key, tensor] : state)
    for (const char* prefix : {"encoder.", "decoder.", "scale.", "inter.", "intra."})
      if (starts_with(key, prefix)) return WeightLayout::canonical;
  for (const auto& [key, tensor] : state)
    if (starts_with(key, "features.")) return WeightLayout::torchvision_vgg19;
  if (state.count("0.weight")) return WeightLayout::vgg_normalised;
  if (state.count("1.weight")) return WeightLayout::adain_decoder;
  return WeightLayout::unknown;
}

std::string describe_layout(WeightLayout layout) {
  switch (layout) {
    case WeightLayout::vgg_normalised: return "a vgg_normalised state dict (keys 0.weight, 2.weight, ...)";
    case WeightLayout::adain_decoder: return "an AdaIN decoder state dict (keys 1.weight, 5.weight, ...)";
    case WeightLayout::torchvision_vgg19:
      return "a torchvision vgg19 state dict (keys features.0.weight, features.2.weight, ...)";
    case WeightLayout::canonical: return "a graphstyle state dict (keys encoder.conv1_1.weight, ...)";
    case WeightLayout::unknown: break;
  }
  return "a state dict of unknown layout";
}

Shape expected_shape(const std::string& canonical_name) {
  for (const auto* convs : {&kEncoderConvs, &kDecoderConvs}) {
    for (const Conv& conv : *convs) {
      if (canonical_name == std::string(conv.name) + ".weight") return conv.weight;
      if (canonical_name == std::string(conv.name) + ".bias") return {conv.weight[0]};
    }
  }
  throw std::invalid_argument("no expected shape for '" + canonical_name +
                              "': not an encoder or decoder convolution parameter");
}

StateDict canonical_from_vgg_normalised(const StateDict& state, const std::string& source) {
  require_layout(state, WeightLayout::vgg_normalised, source);
  return rename_convs(state, kVggNormalised, "vgg_normalised", source);
}

StateDict canonical_from_decoder(const StateDict& state, const std::string& source) {
  require_layout(state, WeightLayout::adain_decoder, source);
  return rename_convs(state, kAdainDecoder, "AdaIN decoder", source);
}

StateDict canonical_from_torchvision_vgg19(const StateDict& state, const std::string& source) {
  require_layout(state, WeightLayout::torchvision_vgg19, source);
  return rename_convs(state, kTorchvisionVgg19, "torchvision vgg19", source);
}

StateDict load_encoder_weights(const std::string& path) {
  StateDict state = load_pth_state_dict(path);
  switch (detect_layout(state)) {
    case WeightLayout::torchvision_vgg19: return canonical_from_torchvision_vgg19(state, path);
    case WeightLayout::canonical: return canonical_part(state, kEncoderConvs, path);
    default: return canonical_from_vgg_normalised(state, path);  // its error names what the file looks like
  }
}

StateDict load_decoder_weights(const std::string& path) {
  StateDict state = load_pth_state_dict(path);
  if (detect_layout(state) == WeightLayout::canonical) return canonical_part(state, kDecoderConvs, path);
  return canonical_from_decoder(state, path);
}

}  // namespace gs::data
