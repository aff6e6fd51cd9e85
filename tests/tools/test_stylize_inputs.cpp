// The many-images side of `graphstyle stylize`: output names, collisions, mask labels, weights.
#include "tools/stylize_inputs.h"

#include <doctest/doctest.h>

#include "data/test_files.h"

using gs::test::contains;
using namespace gs::tools;

TEST_CASE("stylize inputs: every content x every style, or one output per content") {
  const std::vector<std::string> contents = {"a/x.jpg", "b/y.png"}, styles = {"s/starry.jpg", "t/scream.png"};
  const std::vector<Job> pairs = plan_jobs(contents, styles, false, false, "out", "png");
  REQUIRE(pairs.size() == 4);
  CHECK(pairs[0].out == "out/x_starry.png");
  CHECK(pairs[1].out == "out/x_scream.png");
  CHECK(pairs[3].out == "out/y_scream.png");
  CHECK(pairs[3].content == 1);
  CHECK(pairs[3].styles == std::vector<size_t>{1});
  const std::vector<Job> blend = plan_jobs(contents, styles, true, false, "out", "jpg");
  REQUIRE(blend.size() == 2);
  CHECK(blend[1].out == "out/y_starry+scream.jpg");
  CHECK(blend[1].styles == std::vector<size_t>{0, 1});
  CHECK(plan_jobs(contents, styles, true, true, "out", "png")[0].out == "out/x_mask.png");
  CHECK_THROWS_WITH_AS(plan_jobs({"a/x.jpg", "b/x.png"}, styles, false, false, "out", "png"),
                       contains("b/x.png and a/x.jpg would both write out/x_starry.png"), std::invalid_argument);
}

TEST_CASE("stylize inputs: mask colours become labels darkest first, resampled to the content") {
  graphstyle::Image mask(4, 2);  // left half white, right half black; one grey pixel
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 4; ++x)
      for (int c = 0; c < 3; ++c) mask.pixels[3 * (y * 4 + x) + c] = x < 2 ? 1.f : 0.f;
  for (int c = 0; c < 3; ++c) mask.pixels[3 * 7 + c] = 0.5f;
  const std::vector<int> l = mask_labels(mask, "m.png", 3, 8, 4);  // twice the size
  REQUIRE(l.size() == 32);
  CHECK(l[0] == 2);        // white: the brightest, the third style
  CHECK(l[7] == 0);        // black
  CHECK(l[3 * 8 + 7] == 1);  // grey, at the bottom right
  CHECK_THROWS_WITH_AS(mask_labels(mask, "m.png", 2, 8, 4), contains("--mask m.png: 3 distinct colours, expected one per --style (2"),
                       std::invalid_argument);
}

TEST_CASE("stylize inputs: --style-weights") {
  CHECK(parse_weights("0.7,0.3", 2) == std::vector<float>{0.7f, 0.3f});
  CHECK_THROWS_WITH_AS(parse_weights("0.7", 2), contains("1 weights for 2 --style images"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(parse_weights("0.7,-1", 2), contains("'-1' is not a number >= 0"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(parse_weights("0,0", 2), contains("all weights are 0"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(parse_weights("1,,2", 3), contains("'' is not a number"), std::invalid_argument);
}
