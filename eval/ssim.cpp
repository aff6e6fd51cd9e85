#include "eval/ssim.h"

#include <cmath>
#include <stdexcept>
#include <vector>

namespace gs::eval {

namespace {
constexpr int kWindow = 11;
constexpr double kSigma = 1.5;
constexpr double kC1 = 0.01 * 0.01, kC2 = 0.03 * 0.03;  // (K L)^2 with L = 1

std::vector<double> gaussian_window() {
  std::vector<double> w(kWindow);
  double sum = 0;
  for (int i = 0; i < kWindow; ++i) {
    const double x = i - kWindow / 2;
    sum += w[i] = std::exp(-x * x / (2 * kSigma * kSigma));
  }
  for (double& v : w) v /= sum;
  return w;
}

// x: [H,W] -> [H-10,W-10]: the separable Gaussian filter over the positions where the window fits.
std::vector<double> filter_valid(const std::vector<double>& x, int64_t H, int64_t W, const std::vector<double>& w) {
  const int64_t Ho = H - kWindow + 1, Wo = W - kWindow + 1;
  std::vector<double> rows(H * Wo), out(Ho * Wo);
  for (int64_t y = 0; y < H; ++y)
    for (int64_t x0 = 0; x0 < Wo; ++x0) {
      double s = 0;
      for (int k = 0; k < kWindow; ++k) s += w[k] * x[y * W + x0 + k];
      rows[y * Wo + x0] = s;
    }
  for (int64_t y0 = 0; y0 < Ho; ++y0)
    for (int64_t x0 = 0; x0 < Wo; ++x0) {
      double s = 0;
      for (int k = 0; k < kWindow; ++k) s += w[k] * rows[(y0 + k) * Wo + x0];
      out[y0 * Wo + x0] = s;
    }
  return out;
}
}  // namespace

Tensor to_grey(const Tensor& rgb_in) {
  const Tensor rgb = rgb_in.dim() == 4 && rgb_in.size(0) == 1 ? rgb_in.select(0, 0).contiguous() : rgb_in.contiguous();
  if (rgb.dim() != 3 || rgb.size(0) != 3)
    throw std::invalid_argument("to_grey: expected an RGB image [3,H,W], got " + shape_str(rgb_in.shape()));
  const int64_t n = rgb.size(1) * rgb.size(2);
  Tensor grey = Tensor::empty({rgb.size(1), rgb.size(2)});
  const float* p = rgb.data();
  float* g = grey.data();
  for (int64_t i = 0; i < n; ++i) g[i] = 0.299f * p[i] + 0.587f * p[n + i] + 0.114f * p[2 * n + i];
  return grey;
}

double ssim(const Tensor& a_in, const Tensor& b_in) {
  if (a_in.dim() != 2 || a_in.shape() != b_in.shape())
    throw std::invalid_argument("ssim: expected two [H,W] images of one size, got " + shape_str(a_in.shape()) +
                                " and " + shape_str(b_in.shape()));
  const int64_t H = a_in.size(0), W = a_in.size(1);
  if (H < kWindow || W < kWindow)
    throw std::invalid_argument("ssim: images of " + std::to_string(W) + "x" + std::to_string(H) +
                                " are smaller than the 11x11 window");
  const Tensor a = a_in.contiguous(), b = b_in.contiguous();
  const int64_t n = H * W;
  std::vector<double> x(n), y(n), xx(n), yy(n), xy(n);
  for (int64_t i = 0; i < n; ++i) {
    x[i] = a.data()[i];
    y[i] = b.data()[i];
    xx[i] = x[i] * x[i];
    yy[i] = y[i] * y[i];
    xy[i] = x[i] * y[i];
  }
  const std::vector<double> w = gaussian_window();
  const std::vector<double> mx = filter_valid(x, H, W, w), my = filter_valid(y, H, W, w);
  const std::vector<double> sxx = filter_valid(xx, H, W, w), syy = filter_valid(yy, H, W, w),
                            sxy = filter_valid(xy, H, W, w);
  double total = 0;
  for (size_t i = 0; i < mx.size(); ++i) {
    const double vx = sxx[i] - mx[i] * mx[i], vy = syy[i] - my[i] * my[i], cov = sxy[i] - mx[i] * my[i];
    total += (2 * mx[i] * my[i] + kC1) * (2 * cov + kC2) /
             ((mx[i] * mx[i] + my[i] * my[i] + kC1) * (vx + vy + kC2));
  }
  return total / static_cast<double>(mx.size());
}

}  // namespace gs::eval
