// The colour controls (graphstyle/color.hpp): colour matching moves the RGB mean and covariance,
// luminance-only keeps the content's chrominance.
#include "graphstyle/color.hpp"

#include <doctest/doctest.h>

#include <cmath>

#include "api_fixture.h"

namespace {

struct Stats {
  double mean[3] = {0, 0, 0}, cov[3][3] = {{0}};
};

Stats stats(const graphstyle::Image& im) {
  Stats s;
  const size_t n = im.pixels.size() / 3;
  for (size_t i = 0; i < n; ++i)
    for (int c = 0; c < 3; ++c) s.mean[c] += im.pixels[3 * i + c] / double(n);
  for (size_t i = 0; i < n; ++i)
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b)
        s.cov[a][b] += (im.pixels[3 * i + a] - s.mean[a]) * (im.pixels[3 * i + b] - s.mean[b]) / double(n);
  return s;
}

// A smooth image squeezed into [lo, lo + range] per channel, with channel-dependent tints.
graphstyle::Image tinted(int w, int h, float phase, float lo, float range, const float tint[3]) {
  graphstyle::Image im = gs::test::smooth_image(w, h, phase);
  for (size_t i = 0; i < im.pixels.size(); ++i) im.pixels[i] = lo + tint[i % 3] + range * im.pixels[i];
  return im;
}

double yiq(const float* p, int row) {
  static const double m[3][3] = {{0.299, 0.587, 0.114}, {0.595716, -0.274453, -0.321263}, {0.211456, -0.522591, 0.311135}};
  return m[row][0] * p[0] + m[row][1] * p[1] + m[row][2] * p[2];
}

}  // namespace

TEST_CASE("color: match_colors gives the source the target's RGB mean and covariance") {
  const float warm[3] = {0.2f, 0.05f, 0.f}, cold[3] = {0.f, 0.05f, 0.2f};
  const graphstyle::Image source = tinted(64, 48, 0.3f, 0.1f, 0.5f, warm), target = tinted(50, 70, 2.f, 0.2f, 0.4f, cold);
  const Stats before = stats(source), t = stats(target), after = stats(graphstyle::match_colors(source, target));
  double moved = 0;
  for (int a = 0; a < 3; ++a) {
    CHECK(std::abs(after.mean[a] - t.mean[a]) <= 2e-3);
    moved += std::abs(before.mean[a] - t.mean[a]);
    for (int b = 0; b < 3; ++b) CHECK(std::abs(after.cov[a][b] - t.cov[a][b]) <= 2e-4);
  }
  CHECK(moved > 0.1);  // the test images really differ
}

TEST_CASE("color: with_chrominance keeps the luminance of one image and the chrominance of the other") {
  const float tint[3] = {0.1f, 0.f, -0.05f};
  const graphstyle::Image colour = tinted(40, 30, 0.f, 0.3f, 0.3f, tint);
  const graphstyle::Image grey = graphstyle::to_luminance(tinted(40, 30, 1.7f, 0.25f, 0.4f, tint));
  const graphstyle::Image out = graphstyle::with_chrominance(grey, colour);
  for (size_t i = 0; i < out.pixels.size() / 3; ++i) {
    CHECK(yiq(&out.pixels[3 * i], 0) == doctest::Approx(yiq(&grey.pixels[3 * i], 0)).epsilon(1e-4));
    CHECK(std::abs(yiq(&out.pixels[3 * i], 1) - yiq(&colour.pixels[3 * i], 1)) <= 1e-4);
    CHECK(std::abs(yiq(&out.pixels[3 * i], 2) - yiq(&colour.pixels[3 * i], 2)) <= 1e-4);
  }
  CHECK_THROWS_AS(graphstyle::with_chrominance(grey, tinted(20, 30, 0.f, 0.3f, 0.3f, tint)), graphstyle::OptionError);
}

TEST_CASE("color: luminance-only stylization (tiny model) keeps the content's chrominance, changes its luminance") {
  const gs::test::TinyModelFile file;
  const graphstyle::Model model = graphstyle::Model::load(file.path);
  const float tint[3] = {0.1f, 0.f, -0.05f};
  const graphstyle::Image c = tinted(48, 40, 0.f, 0.3f, 0.3f, tint), s = gs::test::smooth_image(56, 48, 1.f);
  graphstyle::StylizeOptions o = model.default_options();
  o.k = 3;
  o.kc = 2;
  const graphstyle::Image grey_out = model.stylize(graphstyle::to_luminance(c), graphstyle::match_luminance(s, c), o);
  const graphstyle::Image out = graphstyle::with_chrominance(grey_out, c);
  double chroma = 0, luma = 0;
  size_t unclamped = 0;
  for (size_t i = 0; i < out.pixels.size() / 3; ++i) {
    const float* p = &out.pixels[3 * i];
    if (std::min({p[0], p[1], p[2]}) <= 0.f || std::max({p[0], p[1], p[2]}) >= 1.f) continue;  // clamped: colour lost
    ++unclamped;
    chroma = std::max(chroma, std::abs(yiq(p, 1) - yiq(&c.pixels[3 * i], 1)) + std::abs(yiq(p, 2) - yiq(&c.pixels[3 * i], 2)));
    luma += std::abs(yiq(p, 0) - yiq(&c.pixels[3 * i], 0));
  }
  REQUIRE(unclamped > out.pixels.size() / 3 / 8);  // the tiny model's outputs are mostly clamped
  CHECK(chroma <= 1e-4);
  CHECK(luma / unclamped > 0.01);  // the luminance was stylized
}
