#include "eval/metrics.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "eval/local_style.h"
#include "eval/ssim.h"
#include "nn/statistics.h"

namespace gs::eval {

namespace {
// f: [1,C,H,W] -> mu, sigma [1,C,1,1] as nn::mean_std (MODEL.md 2.9: unbiased variance + eps), in one
// pass per channel in double: the autograd ops would allocate three maps the size of relu1_1.
std::pair<Tensor, Tensor> channel_mean_std(const Tensor& f) {
  const int64_t C = f.size(1), n = f.size(2) * f.size(3);
  if (n < 2) throw std::invalid_argument("metrics: a feature map of " + shape_str(f.shape()) + " has under 2 pixels");
  Tensor mu = Tensor::empty({1, C, 1, 1}), sigma = Tensor::empty({1, C, 1, 1});
  for (int64_t c = 0; c < C; ++c) {
    const float* p = f.data() + c * n;
    double sum = 0;
    for (int64_t i = 0; i < n; ++i) sum += p[i];
    const double mean = sum / static_cast<double>(n);
    double sq = 0;
    for (int64_t i = 0; i < n; ++i) sq += (p[i] - mean) * (p[i] - mean);
    mu.data()[c] = static_cast<float>(mean);
    sigma.data()[c] = static_cast<float>(std::sqrt(sq / static_cast<double>(n - 1) + nn::kStdEps));
  }
  return {mu, sigma};
}
}  // namespace

Features FeatureEncoder::operator()(const Tensor& image) const {
  const Tensor x = image.dim() == 3 ? image.unsqueeze(0) : image;
  const std::vector<Tensor> f = encoder_.relus(x);
  Features out;
  for (int l = 0; l < 4; ++l) std::tie(out.mu[l], out.sigma[l]) = channel_mean_std(f[l]);
  out.relu3_1 = f[2].select(0, 0).contiguous();
  out.relu4_1 = f[3].select(0, 0).contiguous();
  out.grey = to_grey(x);
  return out;
}

const std::array<const char*, Metrics::kCount>& Metrics::names() {
  static const std::array<const char*, kCount> n{"content_relu4_1", "content_relu3_1", "style",
                                                 "local_relu3_1",   "local_relu4_1",   "ssim"};
  return n;
}

std::array<double, Metrics::kCount> Metrics::values() const {
  return {content_relu4_1, content_relu3_1, style, local_relu3_1, local_relu4_1, ssim};
}

Metrics Metrics::from_values(const std::array<double, kCount>& v) { return {v[0], v[1], v[2], v[3], v[4], v[5]}; }

double mean_squared_difference(const Tensor& a_in, const Tensor& b_in) {
  if (a_in.shape() != b_in.shape())
    throw std::invalid_argument("content loss: output features " + shape_str(a_in.shape()) +
                                " and content features " + shape_str(b_in.shape()) +
                                " differ in shape (the output must have the content image's size)");
  const Tensor a = a_in.contiguous(), b = b_in.contiguous();
  double total = 0;
  for (int64_t i = 0; i < a.numel(); ++i) {
    const double d = static_cast<double>(a.data()[i]) - b.data()[i];
    total += d * d;
  }
  return total / static_cast<double>(a.numel());
}

// MODEL.md 4: sum over relu1_1..relu4_1 of mean((mu_o - mu_s)^2) + mean((sigma_o - sigma_s)^2).
double mean_std_loss(const Features& out, const Features& style) {
  double total = 0;
  for (int l = 0; l < 4; ++l)
    total += mean_squared_difference(out.mu[l], style.mu[l]) + mean_squared_difference(out.sigma[l], style.sigma[l]);
  return total;
}

Metrics measure(const Features& out, const Features& content, const Features& style) {
  Metrics m;
  m.content_relu4_1 = mean_squared_difference(out.relu4_1, content.relu4_1);
  m.content_relu3_1 = mean_squared_difference(out.relu3_1, content.relu3_1);
  m.style = mean_std_loss(out, style);
  m.local_relu3_1 = local_style_distance(out.relu3_1, style.relu3_1);
  m.local_relu4_1 = local_style_distance(out.relu4_1, style.relu4_1);
  m.ssim = ssim(out.grey, content.grey);
  return m;
}

Tensor as_saved(const Tensor& image) {
  Tensor out = image.clone();
  float* p = out.data();
  for (int64_t i = 0; i < out.numel(); ++i) p[i] = std::nearbyint(std::clamp(p[i], 0.f, 1.f) * 255.f) / 255.f;
  return out;
}

}  // namespace gs::eval
