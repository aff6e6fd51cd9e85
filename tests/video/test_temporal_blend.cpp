// video/temporal_blend.h: the output is pulled towards the previous output along the content's motion.
#include "video/temporal_blend.h"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

namespace {
constexpr int W = 96, H = 80;

// A smooth texture seen through a window that starts at column x0: [H,W,3] in [0, 1].
std::vector<float> scene(int x0) {
  std::vector<float> im(size_t(W) * H * 3);
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x)
      for (int c = 0; c < 3; ++c) {
        const double u = x + x0, v = y;
        im[3 * (size_t(y) * W + x) + c] = float(0.5 + 0.2 * std::sin(0.21 * u + 0.5 * c) * std::cos(0.17 * v) +
                                                0.15 * std::sin(0.07 * u * (1 + 0.3 * c) + 0.11 * v));
      }
  return im;
}

// What a frame-by-frame stylizer might paint: a function of the scene plus a per-frame "flicker" of
// the brightness.
std::vector<float> painted(const std::vector<float>& frame, float flicker_sign) {
  std::vector<float> out(frame.size());
  for (size_t i = 0; i < frame.size(); ++i) out[i] = 1.f - frame[i] + 0.1f * flicker_sign;
  return out;
}

double mean_abs(const std::vector<float>& a, const std::vector<float>& b, int border) {
  double sum = 0;
  size_t n = 0;
  for (int y = border; y < H - border; ++y)
    for (int x = border; x < W - border; ++x)
      for (int c = 0; c < 3; ++c, ++n) sum += std::abs(a[3 * (size_t(y) * W + x) + c] - b[3 * (size_t(y) * W + x) + c]);
  return sum / n;
}
}  // namespace

TEST_CASE("temporal blend: a pan is followed, and the flicker shrinks by the weight") {
  constexpr int kShift = 3;
  const std::vector<float> prev_frame = scene(0), frame = scene(kShift);
  const std::vector<float> prev_out = painted(prev_frame, +1.f);
  std::vector<float> out = painted(frame, -1.f);
  const std::vector<float> clean = painted(frame, 0.f);
  const double before = mean_abs(out, clean, 8);
  const double pulled = gs::video::blend_with_previous(prev_frame.data(), frame.data(), prev_out.data(), out.data(), W, H, 0.5f);
  // The columns that entered the window have no past; nearly all the rest follow the flow.
  CHECK(pulled > 0.85);
  CHECK(pulled <= 1.0 - double(kShift) / W + 1e-9);
  // The two frames' flickers are opposite, so a half-and-half pull along the true motion cancels them:
  // what is left is the flow's and the bilinear warp's error.
  const double after = mean_abs(out, clean, 8);
  MESSAGE("flicker " << before << " -> " << after << ", pulled " << pulled);
  CHECK(after < 0.2 * before);
}

TEST_CASE("temporal blend: weight 0 changes nothing; a still scene is pulled everywhere") {
  const std::vector<float> frame = scene(0), prev_out = painted(frame, +1.f);
  std::vector<float> out = painted(frame, -1.f);
  const std::vector<float> unchanged = out;
  CHECK(gs::video::blend_with_previous(frame.data(), frame.data(), prev_out.data(), out.data(), W, H, 0.f) == doctest::Approx(1.0));
  CHECK(out == unchanged);
  gs::video::blend_with_previous(frame.data(), frame.data(), prev_out.data(), out.data(), W, H, 0.25f);
  for (size_t i = 0; i < out.size(); i += 97)
    CHECK(out[i] == doctest::Approx(0.75f * unchanged[i] + 0.25f * prev_out[i]).epsilon(1e-4));
}
