#include "eval/local_style.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace gs;

namespace {
// A [C,H,W] map with every pixel the vector v.
Tensor constant_map(const std::vector<float>& v, int64_t H, int64_t W) {
  Tensor t = Tensor::empty({static_cast<int64_t>(v.size()), H, W});
  for (size_t c = 0; c < v.size(); ++c) std::fill_n(t.data() + c * H * W, H * W, v[c]);
  return t;
}

void set_pixel(Tensor& t, int64_t y, int64_t x, const std::vector<float>& v) {
  for (size_t c = 0; c < v.size(); ++c) t.set({static_cast<int64_t>(c), y, x}, v[c]);
}

// The definition, unblocked: unfold every patch, compare all pairs.
double reference(const Tensor& out, const Tensor& style, int p) {
  auto patches = [p](const Tensor& f) {
    std::vector<std::vector<double>> v;
    for (int64_t oy = 0; oy + p <= f.size(1); ++oy)
      for (int64_t ox = 0; ox + p <= f.size(2); ++ox) {
        std::vector<double> u;
        for (int64_t c = 0; c < f.size(0); ++c)
          for (int64_t ky = 0; ky < p; ++ky)
            for (int64_t kx = 0; kx < p; ++kx) u.push_back(f.at({c, oy + ky, ox + kx}));
        v.push_back(u);
      }
    return v;
  };
  const auto po = patches(out), ps = patches(style);
  double total = 0;
  for (const auto& a : po) {
    double best = -2;
    for (const auto& b : ps) {
      double d = 0, na = 0, nb = 0;
      for (size_t i = 0; i < a.size(); ++i) d += a[i] * b[i], na += a[i] * a[i], nb += b[i] * b[i];
      best = std::max(best, na > 0 && nb > 0 ? d / std::sqrt(na * nb) : 0.0);
    }
    total += 1 - best;
  }
  return total / static_cast<double>(po.size());
}
}  // namespace

TEST_CASE("local-style distance: an exact copy of the style is 0") {
  Rng rng(3);
  const Tensor style = Tensor::uniform({6, 9, 8}, rng, 0.f, 2.f);
  CHECK(eval::local_style_distance(style, style) == doctest::Approx(0.0).epsilon(1e-6));
  // A crop of the style: every patch is found in it.
  const Tensor crop = style.slice(1, 2, 7).slice(2, 1, 6).contiguous();
  CHECK(eval::local_style_distance(crop, style) == doctest::Approx(0.0).epsilon(1e-6));
}

TEST_CASE("local-style distance: orthogonal patches are at distance 1") {
  const Tensor out = constant_map({1, 0, 0}, 5, 5), style = constant_map({0, 2, 3}, 4, 6);
  CHECK(eval::local_style_distance(out, style) == doctest::Approx(1.0).epsilon(1e-7));
  // A patch of zeros has cosine 0 with everything.
  CHECK(eval::local_style_distance(constant_map({0, 0, 0}, 4, 4), style) == doctest::Approx(1.0));
}

TEST_CASE("local-style distance: the nearest of known patches at known angles") {
  // Output: every pixel (1, 0). Style 3x4: columns 0..2 at 60 degrees, column 3 at 0 degrees.
  // Style patch 0 is all 60 degrees: cosine 1/2. Patch 1 has 6 pixels at 60 degrees and 3 at
  // 0 degrees, all unit vectors: cosine (6 * 0.5 + 3) / (3 * 3) = 2/3, the largest.
  const Tensor out = constant_map({1, 0}, 3, 3);
  Tensor style = constant_map({0.5f, std::sqrt(3.f) / 2}, 3, 4);
  for (int64_t y = 0; y < 3; ++y) set_pixel(style, y, 3, {1, 0});
  CHECK(eval::local_style_distance(out, style) == doctest::Approx(1.0 / 3).epsilon(1e-6));
  // Without the 0-degree column only the 60-degree patch is left: 1 - cos 60 = 1/2.
  CHECK(eval::local_style_distance(out, style.slice(2, 0, 3).contiguous()) == doctest::Approx(0.5).epsilon(1e-6));
  // Scale does not matter: a cosine.
  Tensor big = style.clone();
  for (int64_t i = 0; i < big.numel(); ++i) big.data()[i] *= 7.f;
  CHECK(eval::local_style_distance(out, big) == doctest::Approx(1.0 / 3).epsilon(1e-6));
}

TEST_CASE("local-style distance: blocked equals the unblocked definition") {
  Rng rng(11);
  const Tensor out = Tensor::uniform({5, 9, 11}, rng, 0.f, 1.f), style = Tensor::uniform({5, 10, 7}, rng, 0.f, 1.f);
  for (int p : {1, 3, 5}) {
    const double want = reference(out, style, p);
    CHECK(eval::local_style_distance(out, style, p) == doctest::Approx(want).epsilon(1e-5));
    for (eval::LocalStyleBlocking b : {eval::LocalStyleBlocking{1, 1}, eval::LocalStyleBlocking{2, 3},
                                       eval::LocalStyleBlocking{4, 2}, eval::LocalStyleBlocking{100, 100}}) {
      CAPTURE(p);
      CAPTURE(b.band_rows);
      CAPTURE(b.chunk_rows);
      CHECK(eval::local_style_distance(out, style, p, b) == doctest::Approx(want).epsilon(1e-5));
    }
  }
}

TEST_CASE("local-style distance: bad maps are refused") {
  const Tensor a = Tensor::zeros({4, 5, 5});
  CHECK_THROWS_WITH_AS(eval::local_style_distance(a, Tensor::zeros({3, 5, 5})), doctest::Contains("channels"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(eval::local_style_distance(a, Tensor::zeros({4, 2, 5})), doctest::Contains("smaller than"),
                       std::invalid_argument);
  CHECK_THROWS_AS(eval::local_style_distance(a, a, 2), std::invalid_argument);
}
