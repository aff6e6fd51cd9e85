#include <doctest/doctest.h>

#include "data/released_weights.h"
#include "data/test_files.h"
#include "shared_path.h"

using gs::Shape;
using gs::Tensor;
using gs::data::StateDict;
using gs::data::WeightLayout;
using gs::test::contains;

namespace {

// A state dict with zero tensors of the right shapes, keyed `prefix + index` in the released layout.
StateDict fake_state(const std::vector<std::pair<std::string, Shape>>& convs) {
  StateDict state;
  for (const auto& [prefix, shape] : convs) {
    state[prefix + ".weight"] = Tensor(shape);
    state[prefix + ".bias"] = Tensor(Shape{shape[0]});
  }
  return state;
}

StateDict fake_vgg_normalised() {
  return fake_state({{"0", {3, 3, 1, 1}},
                     {"2", {64, 3, 3, 3}},
                     {"5", {64, 64, 3, 3}},
                     {"9", {128, 64, 3, 3}},
                     {"12", {128, 128, 3, 3}},
                     {"16", {256, 128, 3, 3}},
                     {"19", {256, 256, 3, 3}},
                     {"22", {256, 256, 3, 3}},
                     {"25", {256, 256, 3, 3}},
                     {"29", {512, 256, 3, 3}},
                     {"32", {512, 512, 3, 3}}});  // conv4_2 of the full release: ignored
}

}  // namespace

TEST_CASE("pth released weights: vgg_normalised maps to encoder.conv0 .. conv4_1") {
  StateDict state = fake_vgg_normalised();
  state.at("16.bias").fill_(7.f);
  CHECK(gs::data::detect_layout(state) == WeightLayout::vgg_normalised);
  StateDict canonical = gs::data::canonical_from_vgg_normalised(state, "fake.pth");
  CHECK(canonical.size() == 20);
  CHECK(canonical.at("encoder.conv0.weight").shape() == Shape{3, 3, 1, 1});
  CHECK(canonical.at("encoder.conv4_1.weight").shape() == Shape{512, 256, 3, 3});
  CHECK(canonical.at("encoder.conv3_1.bias").at({5}) == 7.f);
  CHECK(canonical.at("encoder.conv3_1.bias").shares_storage_with(state.at("16.bias")));
}

TEST_CASE("pth released weights: missing keys and wrong shapes are named") {
  StateDict missing = fake_vgg_normalised();
  missing.erase("29.weight");
  CHECK_THROWS_WITH_AS(gs::data::canonical_from_vgg_normalised(missing, "vgg.pth"),
                       "vgg.pth: missing key '29.weight' (encoder.conv4_1.weight) in the vgg_normalised state dict",
                       std::runtime_error);
  StateDict misshaped = fake_vgg_normalised();
  misshaped["2.weight"] = Tensor(Shape{64, 3, 3, 2});
  CHECK_THROWS_WITH_AS(gs::data::canonical_from_vgg_normalised(misshaped, "vgg.pth"),
                       "vgg.pth: '2.weight' (encoder.conv1_1.weight) has shape [64, 3, 3, 2], expected [64, 3, 3, 3]",
                       std::runtime_error);
  StateDict bad_bias = fake_vgg_normalised();
  bad_bias["0.bias"] = Tensor(Shape{4});
  CHECK_THROWS_WITH_AS(gs::data::canonical_from_vgg_normalised(bad_bias, "vgg.pth"),
                       doctest::Contains("'0.bias' (encoder.conv0.bias) has shape [4], expected [3]"),
                       std::runtime_error);
}

TEST_CASE("pth released weights: torchvision vgg19 maps features.N to conv1_1 .. conv4_1") {
  StateDict state = fake_state({{"features.0", {64, 3, 3, 3}},
                                {"features.2", {64, 64, 3, 3}},
                                {"features.5", {128, 64, 3, 3}},
                                {"features.7", {128, 128, 3, 3}},
                                {"features.10", {256, 128, 3, 3}},
                                {"features.12", {256, 256, 3, 3}},
                                {"features.14", {256, 256, 3, 3}},
                                {"features.16", {256, 256, 3, 3}},
                                {"features.19", {512, 256, 3, 3}},
                                {"features.21", {512, 512, 3, 3}},
                                {"classifier.0", {4096, 25088}}});
  CHECK(gs::data::detect_layout(state) == WeightLayout::torchvision_vgg19);
  StateDict canonical = gs::data::canonical_from_torchvision_vgg19(state, "vgg19.pth");
  CHECK(canonical.size() == 18);
  CHECK_FALSE(canonical.count("encoder.conv0.weight"));
  CHECK(canonical.at("encoder.conv2_2.weight").shape() == Shape{128, 128, 3, 3});
  CHECK(canonical.at("encoder.conv4_1.bias").shape() == Shape{512});
}

TEST_CASE("pth released weights: layouts, shapes and the wrong file") {
  CHECK(gs::data::detect_layout(fake_state({{"encoder.conv0", {3, 3, 1, 1}}})) == WeightLayout::canonical);
  CHECK(gs::data::detect_layout(fake_state({{"1", {256, 512, 3, 3}}})) == WeightLayout::adain_decoder);
  CHECK(gs::data::detect_layout(StateDict{}) == WeightLayout::unknown);
  CHECK(gs::data::expected_shape("decoder.dec1_1.weight") == Shape{3, 64, 3, 3});
  CHECK(gs::data::expected_shape("decoder.dec3_1.bias") == Shape{128});
  CHECK_THROWS_AS(gs::data::expected_shape("inter.Wc"), std::invalid_argument);

  CHECK_THROWS_WITH_AS(gs::data::canonical_from_decoder(fake_vgg_normalised(), "vgg.pth"),
                       "vgg.pth looks like a vgg_normalised state dict (keys 0.weight, 2.weight, ...), "
                       "expected an AdaIN decoder state dict (keys 1.weight, 5.weight, ...)",
                       std::runtime_error);
  StateDict odd = fake_state({{"head", {2, 2, 1, 1}}});
  CHECK_THROWS_WITH_AS(gs::data::canonical_from_vgg_normalised(odd, "odd.pth"),
                       "odd.pth is not a known weight layout (keys head.bias, head.weight), "
                       "expected a vgg_normalised state dict (keys 0.weight, 2.weight, ...)",
                       std::runtime_error);
}

TEST_CASE("pth released weights: the released files load under canonical names") {
  std::string vgg = gs::test::shared_file("weights/vgg_normalised.pth");
  std::string vgg_zip = gs::test::shared_file("weights/vgg_normalised.zip.pth");
  std::string decoder = gs::test::shared_file("weights/decoder.pth");
  std::string decoder_zip = gs::test::shared_file("weights/decoder.zip.pth");
  if (vgg.empty() || vgg_zip.empty() || decoder.empty() || decoder_zip.empty()) return;

  StateDict encoder = gs::data::load_encoder_weights(vgg);
  CHECK(encoder.size() == 20);
  CHECK(encoder.at("encoder.conv0.bias").to_vector() == std::vector<float>{-103.939f, -116.779f, -123.68f});
  CHECK(encoder.at("encoder.conv0.weight").at({0, 2, 0, 0}) == 255.f);
  CHECK(encoder.at("encoder.conv4_1.weight").shape() == Shape{512, 256, 3, 3});
  CHECK(gs::data::load_encoder_weights(vgg_zip).at("encoder.conv3_3.weight").to_vector() ==
        encoder.at("encoder.conv3_3.weight").to_vector());

  StateDict dec = gs::data::load_decoder_weights(decoder_zip);
  CHECK(dec.size() == 18);
  CHECK(dec.at("decoder.dec4_1.weight").shape() == Shape{256, 512, 3, 3});
  CHECK(dec.at("decoder.dec1_1.bias").shape() == Shape{3});

  // The decoder given where the VGG is expected, and the other way round.
  CHECK_THROWS_WITH_AS(gs::data::load_encoder_weights(decoder),
                       contains(decoder + " looks like an AdaIN decoder state dict (keys 1.weight, 5.weight, ...), "
                                          "expected a vgg_normalised state dict (keys 0.weight, 2.weight, ...)"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(gs::data::load_decoder_weights(vgg_zip),
                       contains(vgg_zip + " looks like a vgg_normalised state dict"), std::runtime_error);
}

TEST_CASE("pth released weights: the graph-stage fixture is in the canonical layout") {
  std::string path = gs::test::shared_file("fixtures/e2e/gnn_seed1_graph.pth");
  if (path.empty()) return;
  CHECK(gs::data::detect_layout(gs::data::load_pth_state_dict(path)) == WeightLayout::canonical);
  // It holds no encoder: asking for one names the first missing key.
  CHECK_THROWS_WITH_AS(gs::data::load_encoder_weights(path),
                       contains(path + ": missing key 'encoder.conv0.weight' in the canonical state dict"),
                       std::runtime_error);
}
