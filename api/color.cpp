// Colour controls: pytorch-AdaIN's colour preservation and Gatys et al.'s luminance-only transfer.
#include "graphstyle/color.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <string>

#include "graphstyle/error.hpp"

namespace graphstyle {

namespace {

void check_image(const Image& image, const char* field) {
  if (image.width < 1 || image.height < 1 ||
      image.pixels.size() != static_cast<size_t>(image.width) * image.height * 3)
    throw OptionError(field, std::string(field) + " image is empty or its pixels do not match its " +
                                 std::to_string(image.width) + "x" + std::to_string(image.height) + " size");
}

struct Moments {
  Eigen::Vector3d mean;
  Eigen::Matrix3d cov;
};

Moments moments(const Image& image) {
  const size_t n = static_cast<size_t>(image.width) * image.height;
  Eigen::Vector3d sum = Eigen::Vector3d::Zero();
  for (size_t i = 0; i < n; ++i) sum += Eigen::Vector3d(image.pixels[3 * i], image.pixels[3 * i + 1], image.pixels[3 * i + 2]);
  Moments m{sum / static_cast<double>(n), Eigen::Matrix3d::Zero()};
  for (size_t i = 0; i < n; ++i) {
    const Eigen::Vector3d d = Eigen::Vector3d(image.pixels[3 * i], image.pixels[3 * i + 1], image.pixels[3 * i + 2]) - m.mean;
    m.cov += d * d.transpose();
  }
  m.cov /= static_cast<double>(n);
  return m;
}

// The symmetric square root (and its inverse) of a covariance, regularised like pytorch-AdaIN's
// coral (+ a small multiple of the identity, so a flat image does not divide by zero).
Eigen::Matrix3d sqrt_psd(const Eigen::Matrix3d& cov, bool inverse) {
  const Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> eig(cov + 1e-5 * Eigen::Matrix3d::Identity());
  Eigen::Vector3d v = eig.eigenvalues().cwiseMax(1e-12).cwiseSqrt();
  if (inverse) v = v.cwiseInverse();
  return eig.eigenvectors() * v.asDiagonal() * eig.eigenvectors().transpose();
}

constexpr double kY[3] = {0.299, 0.587, 0.114};  // YIQ (NTSC) rows
constexpr double kI[3] = {0.595716, -0.274453, -0.321263};
constexpr double kQ[3] = {0.211456, -0.522591, 0.311135};

double dot3(const double* row, const float* rgb) { return row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2]; }

}  // namespace

Image match_colors(const Image& source, const Image& target) {
  check_image(source, "source");
  check_image(target, "target");
  const Moments s = moments(source), t = moments(target);
  // x -> A (x - mu_s) + mu_t with A = cov_t^1/2 cov_s^-1/2: the result has mean mu_t, covariance cov_t.
  const Eigen::Matrix3d A = sqrt_psd(t.cov, false) * sqrt_psd(s.cov, true);
  Image out = source;
  const size_t n = static_cast<size_t>(source.width) * source.height;
  for (size_t i = 0; i < n; ++i) {
    const Eigen::Vector3d x(source.pixels[3 * i], source.pixels[3 * i + 1], source.pixels[3 * i + 2]);
    const Eigen::Vector3d y = A * (x - s.mean) + t.mean;
    for (int c = 0; c < 3; ++c) out.pixels[3 * i + c] = static_cast<float>(std::clamp(y[c], 0.0, 1.0));
  }
  return out;
}

Image to_luminance(const Image& image) {
  check_image(image, "image");
  Image out = image;
  const size_t n = static_cast<size_t>(image.width) * image.height;
  for (size_t i = 0; i < n; ++i) {
    const float y = static_cast<float>(std::clamp(dot3(kY, &image.pixels[3 * i]), 0.0, 1.0));
    out.pixels[3 * i] = out.pixels[3 * i + 1] = out.pixels[3 * i + 2] = y;
  }
  return out;
}

Image match_luminance(const Image& source, const Image& target) {
  check_image(source, "source");
  check_image(target, "target");
  auto stats = [](const Image& grey) {
    const size_t n = grey.pixels.size() / 3;
    double sum = 0, sumsq = 0;
    for (size_t i = 0; i < n; ++i) sum += grey.pixels[3 * i];
    const double mean = sum / static_cast<double>(n);
    for (size_t i = 0; i < n; ++i) sumsq += (grey.pixels[3 * i] - mean) * (grey.pixels[3 * i] - mean);
    return std::pair{mean, std::sqrt(sumsq / static_cast<double>(n))};
  };
  Image out = to_luminance(source);
  const auto [ms, ss] = stats(out);
  const auto [mt, st] = stats(to_luminance(target));
  const double gain = ss > 1e-6 ? st / ss : 1.0;
  for (float& v : out.pixels) v = static_cast<float>(std::clamp(gain * (v - ms) + mt, 0.0, 1.0));
  return out;
}

Image with_chrominance(const Image& luminance, const Image& chrominance) {
  check_image(luminance, "luminance");
  check_image(chrominance, "chrominance");
  if (luminance.width != chrominance.width || luminance.height != chrominance.height)
    throw OptionError("chrominance", "chrominance image is " + std::to_string(chrominance.width) + "x" +
                                         std::to_string(chrominance.height) + ", the luminance image " +
                                         std::to_string(luminance.width) + "x" + std::to_string(luminance.height));
  // YIQ -> RGB (the inverse of the rows above).
  static const Eigen::Matrix3d to_rgb =
      (Eigen::Matrix3d() << kY[0], kY[1], kY[2], kI[0], kI[1], kI[2], kQ[0], kQ[1], kQ[2]).finished().inverse();
  Image out = luminance;
  const size_t n = static_cast<size_t>(luminance.width) * luminance.height;
  for (size_t i = 0; i < n; ++i) {
    const Eigen::Vector3d yiq(dot3(kY, &luminance.pixels[3 * i]), dot3(kI, &chrominance.pixels[3 * i]),
                              dot3(kQ, &chrominance.pixels[3 * i]));
    const Eigen::Vector3d rgb = to_rgb * yiq;
    for (int c = 0; c < 3; ++c) out.pixels[3 * i + c] = static_cast<float>(std::clamp(rgb[c], 0.0, 1.0));
  }
  return out;
}

}  // namespace graphstyle
