#include "models/init.h"

#include <cmath>

namespace gs::models {

namespace {
// PyTorch's Conv2d default: kaiming_uniform(a = sqrt(5)) for the weight and U(+-1/sqrt(fan_in)) for
// the bias, which both come to the bound 1/sqrt(fan_in).
void default_conv_init(data::NamedTensors& out, const std::string& name, const Shape& weight_shape, Rng& rng) {
  const int64_t fan_in = weight_shape[1] * weight_shape[2] * weight_shape[3];
  const float bound = 1.f / std::sqrt(static_cast<float>(fan_in));
  out.push_back({name + ".weight", Tensor::uniform(weight_shape, rng, -bound, bound)});
  out.push_back({name + ".bias", Tensor::uniform({weight_shape[0]}, rng, -bound, bound)});
}
}  // namespace

data::NamedTensors init_graph_params(const ModelConfig& c, uint64_t seed) {
  Rng rng(seed);
  const int64_t C = c.channels();
  data::NamedTensors out;
  default_conv_init(out, "scale.conv1", {c.scale_hidden, C, 3, 3}, rng);
  out.push_back({"scale.conv2.weight", Tensor::zeros({1, c.scale_hidden, 3, 3})});
  const float s0 = (1.f - c.s_min) / (c.s_max - c.s_min);
  out.push_back({"scale.conv2.bias", Tensor::full({1}, std::log(s0 / (1.f - s0)))});
  const float std_w = 1.f / std::sqrt(static_cast<float>(C));
  out.push_back({"inter.Wc", Tensor::randn({c.d, C}, rng, std_w)});
  out.push_back({"inter.Ws", Tensor::randn({c.d, C}, rng, std_w)});
  out.push_back({"inter.ac", Tensor::zeros({c.d})});
  out.push_back({"inter.as", Tensor::zeros({c.d})});
  out.push_back({"intra.Wk", Tensor::randn({c.d, C}, rng, std_w)});
  out.push_back({"intra.aq", Tensor::zeros({c.d})});
  out.push_back({"intra.ak", Tensor::zeros({c.d})});
  for (auto& f : init_family_params(C, c.family)) out.push_back(std::move(f));
  return out;
}

data::NamedTensors init_family_params(int64_t C, InterFamily family) {
  auto identity = [C](float v) {
    Tensor t = Tensor::zeros({C, C});
    for (int64_t i = 0; i < C; ++i) t.data()[i * C + i] = v;
    return t;
  };
  data::NamedTensors out;
  for (const auto& [name, shape] : family_shapes(C, family)) {
    Tensor t = Tensor::zeros(shape);
    if (name == "inter.sage.W_neigh" || name == "inter.gin.W2" || name == "inter.edgeconv.W_self" ||
        name == "inter.edgeconv.W_edge")
      t = identity(1.f);
    else if (name == "inter.gin.W1")
      t = identity(1.f / 6.f);
    out.push_back({name, t});
  }
  return out;
}

data::NamedTensors init_decoder_params(const ModelConfig& c, uint64_t seed) {
  Rng rng(seed);
  data::NamedTensors out;
  for (const auto& [name, shape] : decoder_shapes(c))
    if (name.size() > 7 && name.compare(name.size() - 7, 7, ".weight") == 0)
      default_conv_init(out, name.substr(0, name.size() - 7), shape, rng);
  return out;
}

}  // namespace gs::models
