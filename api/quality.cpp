// graphstyle::QualityMeter over the library's metrics (eval/metrics.h).
#include "graphstyle/quality.hpp"

#include <cmath>
#include <limits>

#include "api/convert.h"
#include "api/model_impl.h"
#include "eval/metrics.h"
#include "eval/ssim.h"

namespace graphstyle {

struct QualityFeatures::Impl {
  gs::eval::Features features;
  int width = 0, height = 0;
};

struct QualityMeter::Impl {
  Model model;  // keeps the weights the encoder reads
  gs::eval::FeatureEncoder encoder;
};

const std::array<const char*, QualityMetrics::count>& QualityMetrics::names() {
  static_assert(count == gs::eval::Metrics::kCount);
  return gs::eval::Metrics::names();
}

std::array<double, QualityMetrics::count> QualityMetrics::values() const {
  return {content_relu4_1, content_relu3_1, style, local_relu3_1, local_relu4_1, ssim};
}

QualityMetrics QualityMetrics::from_values(const std::array<double, count>& v) { return {v[0], v[1], v[2], v[3], v[4], v[5]}; }

QualityFeatures::QualityFeatures() = default;
QualityFeatures::QualityFeatures(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
bool QualityFeatures::empty() const { return !impl_; }
int QualityFeatures::width() const { return impl_ ? impl_->width : 0; }
int QualityFeatures::height() const { return impl_ ? impl_->height : 0; }
const QualityFeatures::Impl& QualityFeatures::impl() const { return *impl_; }

QualityMeter::QualityMeter(const Model& model)
    : impl_(detail::translate([&] {
        const gs::models::Stylizer& m = model.impl().stylizer;
        return std::make_unique<Impl>(Impl{model, gs::eval::FeatureEncoder(m.params(), m.config())});
      })) {}
QualityMeter::~QualityMeter() = default;
QualityMeter::QualityMeter(QualityMeter&&) noexcept = default;
QualityMeter& QualityMeter::operator=(QualityMeter&&) noexcept = default;

QualityFeatures QualityMeter::features(const Image& image) const {
  return detail::translate([&] {
    // SSIM's window is 11 x 11; checked here so that a tiny image fails with that, not deep in the encoder.
    if (image.width < 11 || image.height < 11)
      throw OptionError("image", "image " + std::to_string(image.width) + "x" + std::to_string(image.height) +
                                     " is too small to measure: the metrics need at least 11x11 pixels");
    return QualityFeatures(std::make_shared<const QualityFeatures::Impl>(
        QualityFeatures::Impl{impl_->encoder(detail::to_tensor(image, "image")), image.width, image.height}));
  });
}

QualityMetrics QualityMeter::measure(const QualityFeatures& output, const QualityFeatures& content,
                                     const QualityFeatures& style) const {
  return detail::translate([&] {
    for (auto [name, f] : {std::pair{"output", &output}, {"content", &content}, {"style", &style}})
      if (f->empty()) throw OptionError(name, std::string(name) + ": features are empty: make them with features()");
    if (output.width() != content.width() || output.height() != content.height())
      throw OptionError("output", "output " + std::to_string(output.width()) + "x" + std::to_string(output.height()) +
                                      " and content " + std::to_string(content.width()) + "x" +
                                      std::to_string(content.height()) + " differ in size: the metrics compare them pixel for pixel");
    const gs::eval::Metrics m = gs::eval::measure(output.impl().features, content.impl().features, style.impl().features);
    return QualityMetrics::from_values(m.values());
  });
}

QualityMetrics QualityMeter::measure(const Image& output, const Image& content, const Image& style) const {
  return measure(features(output), features(content), features(style));
}

Image as_saved(const Image& image) { return to_float(to_rgb8(image)); }

namespace {
void check_same_size(const Image& a, const Image& b) {
  if (a.width != b.width || a.height != b.height)
    throw OptionError("b", "b is " + std::to_string(b.width) + "x" + std::to_string(b.height) + ", a is " +
                               std::to_string(a.width) + "x" + std::to_string(a.height) + ": they must have one size");
}
}  // namespace

double psnr(const Image& a, const Image& b) {
  return detail::translate([&] {
    check_same_size(a, b);
    double sum = 0;
    for (size_t i = 0; i < a.pixels.size(); ++i) {
      const double d = static_cast<double>(a.pixels[i]) - b.pixels[i];
      sum += d * d;
    }
    const double mse = a.pixels.empty() ? 0 : sum / static_cast<double>(a.pixels.size());
    return mse == 0 ? std::numeric_limits<double>::infinity() : 10 * std::log10(1 / mse);
  });
}

double ssim(const Image& a, const Image& b) {
  return detail::translate([&] {
    check_same_size(a, b);
    return gs::eval::ssim(gs::eval::to_grey(detail::to_tensor(a, "a")), gs::eval::to_grey(detail::to_tensor(b, "b")));
  });
}

}  // namespace graphstyle
