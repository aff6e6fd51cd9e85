// Golden-file checkers for the layers of nn/: each computes a fixture's op with our code.
#include <cstdlib>

#include "autograd/ops.h"
#include "models/encoder.h"
#include "nn/conv2d.h"
#include "nn/image_layers.h"
#include "nn/losses.h"
#include "nn/statistics.h"
#include "dev/fixture_case.h"

namespace gs::tools {

namespace {
void check_relu(FixtureCase& f) { f.output("y", ag::relu(f.input("x"))); }

void check_mse(FixtureCase& f) { f.output("loss", ag::mse_loss(f.input("a"), f.input("b"))); }

void check_mean_std(FixtureCase& f) {
  auto [mu, sigma] = nn::mean_std(f.input("x"), static_cast<float>(f.option("eps")));
  f.output("mu", mu);
  f.output("sigma", sigma);
}

void check_adain(FixtureCase& f) {
  const float alpha = f.has_option("alpha") ? static_cast<float>(f.option("alpha")) : 1.f;
  f.output("y", nn::adain_mix(f.input("content"), f.input("style"), alpha, static_cast<float>(f.option("eps"))));
}

void check_style_loss(FixtureCase& f) {
  std::vector<ag::Variable> out, style;
  for (int l = 0; l < 4; ++l) {
    out.push_back(f.input("out" + std::to_string(l)));
    style.push_back(f.input("style" + std::to_string(l)));
  }
  f.output("loss", nn::style_loss(out, style));
}

// padding is a number (zeros) or the string "reflect 1".
void check_conv2d(FixtureCase& f) {
  ag::Variable x = f.input("x"), w = f.param("w"), b = f.param("b");
  const bool reflect = f.file().attr_is_string("/", "padding");
  if (reflect) {
    if (f.option_string("padding") != "reflect 1") throw std::runtime_error("unknown padding " + f.option_string("padding"));
    f.output("y", nn::reflect_conv3x3(x, w, b));
  } else {
    const nn::Conv2dParams p{static_cast<int>(f.option("stride")), static_cast<int>(f.option("padding"))};
    f.output("y", nn::conv2d(x, w, b, p));
  }
}

nn::Upsample upsample_mode(const FixtureCase& f, const char* option) {
  const std::string mode = f.option_string(option);
  if (mode == "nearest") return nn::Upsample::nearest;
  if (mode == "bilinear") return nn::Upsample::bilinear;
  throw std::runtime_error("unknown upsampling mode " + mode);
}

void check_decoder_block(FixtureCase& f) {
  ag::Variable h = nn::reflect_conv3x3_relu(f.input("x"), f.param("w"), f.param("b"));
  f.output("y", nn::upsample2x(h, upsample_mode(f, "upsample")));
}

void check_reflection_pad(FixtureCase& f) {
  f.output("y", nn::reflection_pad2d(f.input("x"), static_cast<int>(f.option("pad"))));
}

void check_maxpool(FixtureCase& f) { f.output("y", nn::max_pool2x2_ceil(f.input("x"))); }

void check_upsample(FixtureCase& f) { f.output("y", nn::upsample2x(f.input("x"), upsample_mode(f, "mode"))); }

// The encoder graph with small widths ("[4, 6, 8, 8]") and random weights, to relu1_1..relu4_1.
void check_encoder(FixtureCase& f) {
  models::ModelConfig config;
  const std::string widths = f.option_string("widths");
  const char* at = widths.c_str();
  for (int i = 0; i < 4; ++i) {
    while (*at && (*at < '0' || *at > '9')) ++at;
    config.widths[i] = std::strtoll(at, const_cast<char**>(&at), 10);
  }
  nn::Module params;
  for (const auto& [name, shape] : models::encoder_shapes(config)) params.add_parameter(name, f.param(name).value());
  const std::vector<ag::Variable> out = models::encode(params, config, f.input("x"), {1, 2, 3, 4});
  for (int l = 0; l < 4; ++l) f.output("relu" + std::to_string(l + 1) + "_1", out[l]);
}
}  // namespace

std::vector<FixtureChecker> nn_fixture_checkers() {
  return {
      {"relu", check_relu},
      {"mse", check_mse},
      {"mean_std", check_mean_std},
      {"adain", check_adain},
      {"style_loss", check_style_loss},
      {"conv2d", check_conv2d},
      {"decoder_block", check_decoder_block},
      {"reflection_pad", check_reflection_pad},
      {"maxpool", check_maxpool},
      {"upsample", check_upsample},
      {"encoder", check_encoder},
  };
}

}  // namespace gs::tools
