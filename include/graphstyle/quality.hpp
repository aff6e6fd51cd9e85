// Quality metrics of a stylized image, measured on the VGG features of a model's encoder: how much
// of the content's structure it kept and how close it came to the style, globally and locally.
//
//   graphstyle::QualityMeter meter(model);                     // one per thread, like a Context
//   graphstyle::QualityMetrics m = meter.measure(output, content, style);
//   // m.content_relu4_1, m.style, m.ssim, ...
//
// For many pairs, encode each image once (features()) and measure the features instead.
//
//   content_relu4_1, content_relu3_1  mean((phi(output) - phi(content))^2): structure kept from the photo
//   style                             the training's style loss (MODEL.md 4): the distance of the
//                                     channel means and deviations at relu1_1..relu4_1 to the style's
//   local_relu3_1, local_relu4_1      mean over the output's 3x3 feature patches of 1 - the largest
//                                     cosine similarity to a 3x3 patch of the style's features
//   ssim                              SSIM of the grey output to the grey content (11x11 Gaussian,
//                                     sigma 1.5; Wang et al. 2004)
// Lower is better for all but ssim. The output and the content must have one size; each image at
// least 11 x 11 pixels.
#pragma once
#include <array>
#include <cstddef>
#include <memory>

#include "graphstyle/image.hpp"
#include "graphstyle/model.hpp"
#include "graphstyle/export.h"

GRAPHSTYLE_EXPORT_BEGIN
namespace graphstyle {

struct QualityMetrics {
  double content_relu4_1 = 0, content_relu3_1 = 0, style = 0, local_relu3_1 = 0, local_relu4_1 = 0, ssim = 0;

  static constexpr int count = 6;
  static const std::array<const char*, count>& names();  // "content_relu4_1", ... in the order above
  std::array<double, count> values() const;              // in that order
  static QualityMetrics from_values(const std::array<double, count>& values);
};

// What the metrics read of one image (its relu3_1 and relu4_1 maps, the statistics of relu1_1..relu4_1,
// its grey levels): much smaller than the image's full features, so kept one per content and style
// image. Immutable and shared by copies.
class QualityFeatures {
 public:
  QualityFeatures();
  bool empty() const;
  int width() const;  // the image's
  int height() const;

  struct Impl;
  const Impl& impl() const;  // for the library's own use
  explicit QualityFeatures(std::shared_ptr<const Impl> impl);

 private:
  std::shared_ptr<const Impl> impl_;
};

// A model's encoder for measuring (its weights laid out once). Like a Context, one per thread.
class QualityMeter {
 public:
  explicit QualityMeter(const Model& model);
  ~QualityMeter();
  QualityMeter(QualityMeter&&) noexcept;
  QualityMeter& operator=(QualityMeter&&) noexcept;

  QualityFeatures features(const Image& image) const;
  // OptionError naming "output" when the output's and the content's sizes differ.
  QualityMetrics measure(const QualityFeatures& output, const QualityFeatures& content,
                         const QualityFeatures& style) const;
  QualityMetrics measure(const Image& output, const Image& content, const Image& style) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Two images of one size compared pixel for pixel, e.g. a stylization at StylizeOptions::precision
// bf16 against the same at fp32 (both as_saved, as a user gets them):
//   psnr: 10 log10(1 / mean squared difference) over all RGB values in [0, 1]; infinity if equal.
//   ssim: SSIM of their grey levels, as QualityMetrics::ssim (each at least 11 x 11 pixels).
// OptionError naming "b" when the sizes differ.
double psnr(const Image& a, const Image& b);
double ssim(const Image& a, const Image& b);

// An image as saved to an 8-bit file and read back (to_float(to_rgb8(image))): measure this, not a
// stylizer's float output, and the metrics equal those of the saved file.
Image as_saved(const Image& image);

}  // namespace graphstyle
GRAPHSTYLE_EXPORT_END
