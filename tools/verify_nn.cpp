// Golden-file checkers for the layers of nn/: each computes a fixture's op with our code.
#include "autograd/ops.h"
#include "nn/losses.h"
#include "nn/statistics.h"
#include "tools/fixture_case.h"

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
}  // namespace

std::vector<FixtureChecker> nn_fixture_checkers() {
  return {
      {"relu", check_relu},   {"mse", check_mse},           {"mean_std", check_mean_std},
      {"adain", check_adain}, {"style_loss", check_style_loss},
  };
}

}  // namespace gs::tools
