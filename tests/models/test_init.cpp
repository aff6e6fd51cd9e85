#include "models/init.h"

#include <doctest/doctest.h>

#include <cmath>

#include "tensor/ops.h"

TEST_CASE("init: MODEL.md's graph initialisation gives unit scales and uniform attention") {
  gs::models::ModelConfig c;
  const auto params = gs::models::init_graph_params(c, 0);
  gs::data::check_parameters(params, gs::models::graph_shapes(c), "init");
  auto get = [&](const std::string& n) {
    for (const auto& [name, t] : params)
      if (name == n) return t;
    FAIL("missing " << n);
    return gs::Tensor();
  };
  // S = s_min + (s_max - s_min) sigmoid(bias) must be exactly 1 in float32 (fixtures README).
  const float b = get("scale.conv2.bias").item();
  const float s = c.s_min + (c.s_max - c.s_min) * (1.f / (1.f + std::exp(-b)));
  CHECK(s == 1.0f);
  CHECK(gs::max(gs::pow(get("scale.conv2.weight"), 2.f), {}).item() == 0.f);
  for (const char* a : {"inter.ac", "inter.as", "intra.aq", "intra.ak"}) CHECK(gs::sum_all(gs::pow(get(a), 2.f)) == 0.0);
  // Wc ~ N(0, 1/C): its sample variance is close to 1/512.
  const gs::Tensor wc = get("inter.Wc");
  CHECK(gs::sum_all(gs::mul(wc, wc)) / double(wc.numel()) == doctest::Approx(1.0 / 512).epsilon(0.05));
  // Seeded: the same seed draws the same values, another seed others.
  CHECK(gs::max_abs_diff(gs::models::init_graph_params(c, 0)[0].second, params[0].second) == 0.f);
  CHECK(gs::max_abs_diff(gs::models::init_graph_params(c, 1)[0].second, params[0].second) > 0.f);
  const auto dec = gs::models::init_decoder_params(c, 0);
  gs::data::check_parameters(dec, gs::models::decoder_shapes(c), "init");
}
