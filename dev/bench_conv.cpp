// `bench conv`: times the VGG-19 encoder of MODEL.md section 1 (conv0 up to relu4_1) built from the
// nn/ layers, with random weights of the real shapes, batch 1:
//   * forward without gradients (inference, ReLU fused into the conv primitives), and
//   * forward + backward to the input (what the training loss needs: the encoder is frozen, so no
//     weight gradients are computed).
// 2 warm-up runs (they also build the cached oneDNN primitives), then the median of 5.
// GFLOP/s counts the convolutions only (2 flops per multiply-add); backward-data costs as much as
// the forward, so forward + backward counts them twice.
//
// Options: --sizes 256,512 (square input sides), --runs 5, --warmup 2.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "autograd/variable.h"
#include "nn/conv2d.h"
#include "nn/image_layers.h"
#include "tensor/tensor.h"

namespace gs::tools {

namespace {

struct ConvLayer {
  const char* name;
  int64_t ci, co, k;
  bool pool_after;
  ag::Variable w, b;
};

// MODEL.md section 1; conv0 is the 1x1 colour transform, every other conv is reflect-pad 3x3 + ReLU.
std::vector<ConvLayer> make_encoder(Rng& rng) {
  std::vector<ConvLayer> layers = {
      {"conv0", 3, 3, 1, false, {}, {}},       {"conv1_1", 3, 64, 3, false, {}, {}},
      {"conv1_2", 64, 64, 3, true, {}, {}},    {"conv2_1", 64, 128, 3, false, {}, {}},
      {"conv2_2", 128, 128, 3, true, {}, {}},  {"conv3_1", 128, 256, 3, false, {}, {}},
      {"conv3_2", 256, 256, 3, false, {}, {}}, {"conv3_3", 256, 256, 3, false, {}, {}},
      {"conv3_4", 256, 256, 3, true, {}, {}},  {"conv4_1", 256, 512, 3, false, {}, {}},
  };
  for (ConvLayer& l : layers) {
    // He initialisation keeps activations of order 1 through the ReLUs (no denormals, no overflow).
    const float stddev = std::sqrt(2.f / static_cast<float>(l.ci * l.k * l.k));
    l.w = ag::Variable(Tensor::randn({l.co, l.ci, l.k, l.k}, rng, stddev));
    l.b = ag::Variable(Tensor::randn({l.co}, rng, 0.01f));
  }
  return layers;
}

// x: [1,3,H,W] -> relu4_1: [1,512,ceil(H/8),ceil(W/8)]
ag::Variable encode(const std::vector<ConvLayer>& layers, const ag::Variable& x) {
  ag::Variable h = nn::conv2d(x, layers[0].w, layers[0].b);
  for (size_t i = 1; i < layers.size(); ++i) {
    h = nn::reflect_conv3x3_relu(h, layers[i].w, layers[i].b);
    if (layers[i].pool_after) h = nn::max_pool2x2_ceil(h);
  }
  return h;
}

double encoder_gflop(const std::vector<ConvLayer>& layers, int64_t side) {
  double flops = 0;
  int64_t s = side;
  for (const ConvLayer& l : layers) {
    flops += 2.0 * static_cast<double>(l.co * l.ci * l.k * l.k) * static_cast<double>(s * s);
    if (l.pool_after) s = (s + 1) / 2;
  }
  return flops * 1e-9;
}

template <class F>
double median_seconds(F run, int warmup, int runs) {
  for (int i = 0; i < warmup; ++i) run();
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    run();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

std::vector<int64_t> parse_sizes(const std::string& list) {
  std::vector<int64_t> sizes;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    int64_t v = std::stoll(item);
    if (v < 8) throw std::invalid_argument("bench conv: --sizes needs sides >= 8, got " + item);
    sizes.push_back(v);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return sizes;
}

}  // namespace

int bench_conv(const std::vector<std::string>& args) {
  std::vector<int64_t> sizes{256, 512};
  int runs = 5, warmup = 2;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--sizes" && has_value) {
      sizes = parse_sizes(args[++i]);
    } else if (a == "--runs" && has_value) {
      runs = std::max(1, std::stoi(args[++i]));
    } else if (a == "--warmup" && has_value) {
      warmup = std::max(0, std::stoi(args[++i]));
    } else {
      std::fprintf(stderr, "bench conv: unknown option %s (use --sizes 256,512 --runs 5 --warmup 2)\n", a.c_str());
      return 2;
    }
  }

  Rng rng(0);
  const std::vector<ConvLayer> layers = make_encoder(rng);
  std::printf("VGG-19 encoder to relu4_1, batch 1, warm-up %d, median of %d\n", warmup, runs);
  for (int64_t side : sizes) {
    const Tensor image = Tensor::uniform({1, 3, side, side}, rng, 0.f, 1.f);
    const double gflop = encoder_gflop(layers, side);

    double fwd = median_seconds(
        [&] {
          ag::NoGradGuard no_grad;
          encode(layers, ag::Variable(image));
        },
        warmup, runs);
    std::printf("encoder %4lldx%-4lld forward (no grad)       %7.3f s  %6.1f GFLOP/s\n", (long long)side,
                (long long)side, fwd, gflop / fwd);
    std::fflush(stdout);

    double both = median_seconds(
        [&] {
          ag::Variable x(image, true);
          ag::Variable features = encode(layers, x);
          features.backward(Tensor::ones(features.shape()));
        },
        warmup, runs);
    std::printf("encoder %4lldx%-4lld forward + backward (dx) %7.3f s  %6.1f GFLOP/s\n", (long long)side,
                (long long)side, both, 2 * gflop / both);
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace gs::tools
