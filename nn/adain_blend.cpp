#include "nn/adain_blend.h"

#include <cmath>
#include <stdexcept>
#include <vector>

namespace gs::nn {
namespace {

struct MeanStd {
  double mu, sigma;
};

// x: n values of one channel -> its mean and sqrt(unbiased variance + eps); two passes, no copy.
MeanStd channel_stats(const float* x, int64_t n, float eps) {
  double sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += x[i];
  const double mu = sum / double(n);
  double squares = 0;
  for (int64_t i = 0; i < n; ++i) squares += (x[i] - mu) * (x[i] - mu);
  return {mu, std::sqrt(squares / double(n - 1) + eps)};
}

}  // namespace

Tensor adain_blend(const Tensor& f2_in, const Tensor& fc_in, const Tensor& fs_in, float alpha, float mix, float eps) {
  if (f2_in.dim() != 4 || f2_in.shape() != fc_in.shape() || fs_in.dim() != 4 || fs_in.size(0) != f2_in.size(0) ||
      fs_in.size(1) != f2_in.size(1))
    throw std::invalid_argument("adain_blend: F2 " + shape_str(f2_in.shape()) + ", content " + shape_str(fc_in.shape()) +
                                " and style " + shape_str(fs_in.shape()) +
                                " need the same batch size and channels, F2 and content the same size");
  if (!(alpha >= 0.f && alpha <= 1.f) || !(mix >= 0.f && mix <= 1.f))
    throw std::invalid_argument("adain_blend: alpha and mix must be in [0, 1]");
  const int64_t hw = f2_in.size(2) * f2_in.size(3), hws = fs_in.size(2) * fs_in.size(3);
  if (hw < 2 || hws < 2) throw std::invalid_argument("adain_blend: the unbiased variance needs at least 2 pixels");
  const Tensor f2 = f2_in.contiguous(), fc = fc_in.contiguous(), fs = fs_in.contiguous();
  Tensor out = Tensor::empty(f2.shape());
  const int64_t planes = f2.size(0) * f2.size(1);
#pragma omp parallel for schedule(dynamic)
  for (int64_t plane = 0; plane < planes; ++plane) {
    const float* a = f2.data() + plane * hw;
    const float* c = fc.data() + plane * hw;
    const MeanStd s = channel_stats(fs.data() + plane * hws, hws, eps), s2 = channel_stats(a, hw, eps);
    // out = wa * f2 + wc * fc + bias, the terms of the formula above gathered per channel.
    double wa = alpha * s.sigma / s2.sigma, wc = 0, bias = alpha * (s.mu - s.sigma / s2.sigma * s2.mu);
    if (alpha != 1.f) {
      const MeanStd sc = channel_stats(c, hw, eps);
      wc = (1.0 - alpha) * ((1.0 - mix) + mix * s.sigma / sc.sigma);
      bias += (1.0 - alpha) * mix * (s.mu - s.sigma / sc.sigma * sc.mu);
    }
    const float fa = float(wa), fcw = float(wc), fb = float(bias);
    float* o = out.data() + plane * hw;
    for (int64_t i = 0; i < hw; ++i) o[i] = fa * a[i] + fcw * c[i] + fb;
  }
  return out;
}

}  // namespace gs::nn
