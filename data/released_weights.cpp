#include "data/released_weights.h"

#include <stdexcept>
#include <utility>
#include <vector>

#include "arch/network.h"

namespace gs::data {

namespace {

// One convolution of the model: its canonical prefix and weight shape [out, in, kh, kw].
struct Conv {
  std::string name;
  Shape weight;
};

// Released key prefix -> canonical prefix, in model order (MODEL.md section 5).
using PrefixMap = std::vector<std::pair<std::string, std::string>>;

// The convolutions of one table of arch/network.h at the released widths.
std::vector<Conv> convs_of(const std::vector<arch::ConvLayer>& layers, const std::string& part) {
  std::vector<Conv> out;
  for (const arch::ConvLayer& l : layers)
    out.push_back({part + l.name, {arch::channels(l.out, arch::kReleasedWidths), arch::channels(l.in, arch::kReleasedWidths),
                                   l.kernel, l.kernel}});
  return out;
}

// Each layer's index in a released file -> its canonical prefix; layers without one (-1) are left out.
PrefixMap prefixes_of(const std::vector<arch::ConvLayer>& layers, const std::string& part, int arch::ConvLayer::*index,
                      const std::string& key_prefix) {
  PrefixMap out;
  for (const arch::ConvLayer& l : layers)
    if (l.*index >= 0) out.emplace_back(key_prefix + std::to_string(l.*index), part + l.name);
  return out;
}

const std::vector<Conv> kEncoderConvs = convs_of(arch::encoder_layers(), "encoder.");
const std::vector<Conv> kDecoderConvs = convs_of(arch::decoder_layers(), "decoder.");
const PrefixMap kVggNormalised = prefixes_of(arch::encoder_layers(), "encoder.", &arch::ConvLayer::pth_index, "");
const PrefixMap kAdainDecoder = prefixes_of(arch::decoder_layers(), "decoder.", &arch::ConvLayer::pth_index, "");
const PrefixMap kTorchvisionVgg19 =
    prefixes_of(arch::encoder_layers(), "encoder.", &arch::ConvLayer::torchvision_index, "features.");

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
