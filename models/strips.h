// Horizontal strips for running the encoder and decoder on a large image one piece at a time.
//
// Rows are counted on the coarse grid of relu4_1 (one coarse row = 8 image rows). A strip delivers
// coarse rows [begin, end) and computes them from [halo_begin, halo_end): `halo` real neighbouring
// rows on each side (fewer at the image's own top and bottom, where the padding is the real one).
// Near a strip's cut the layers see reflection padding where the untiled network sees real rows,
// so those rows come out wrong; the halo is wide enough that the damage never reaches the
// delivered rows, which therefore equal the untiled computation's.
//
// How wide: a 3x3 conv widens a row's dependence by one row at its own resolution, a 2x2 pool or
// x2 upsampling halves or doubles it (bilinear upsampling reads one more row).
//   encoder: relu4_1 rows [a, b) depend on image rows [8a - 30, 8b + 29] (conv1_1, conv1_2 at 1/1,
//            conv2_x at 1/2, conv3_x at 1/4, conv4_1 at 1/8): a halo of 4 coarse rows. Strips start
//            on multiples of 8 image rows, so each strip's pools see the same 2x2 windows as the
//            whole image's.
//   decoder: image rows [8a, 8b) depend on t rows [a - 5, b + 4] with bilinear upsampling
//            ([a - 4, b + 3] with nearest): a halo of 5 coarse rows.
// tests/models/test_inference.cpp fails with one row less for either.
#pragma once
#include <cstdint>
#include <vector>

namespace gs::models {

constexpr int64_t kEncoderHalo = 4, kDecoderHalo = 5;

// Image pixels that one strip may cover, halo included: 2M pixels, so a 64-channel float map of a
// strip is 512 MB. An image no larger runs whole (no halo, no strips).
constexpr int64_t kStripPixels = int64_t{1} << 21;

struct Strip {
  int64_t begin, end;            // coarse rows delivered
  int64_t halo_begin, halo_end;  // coarse rows computed
};

// Cuts `rows` coarse rows into strips of nearly equal height, each of at most `max_rows` delivered
// rows (at least one), with `halo` extra rows on each side where the image has them.
std::vector<Strip> plan_strips(int64_t rows, int64_t max_rows, int64_t halo);

// The largest number of delivered coarse rows per strip for an image `width` pixels wide, such that
// a strip with its halo covers at most `pixels` image pixels (at least 1).
int64_t strip_rows(int64_t width, int64_t halo, int64_t pixels);

}  // namespace gs::models
