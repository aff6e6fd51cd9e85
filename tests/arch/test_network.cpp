// The layer tables are one consistent network: each conv reads what the one before wrote, the
// encoder halves the resolution three times and the decoder doubles it three times, and the
// released files' indices are in order.
#include "arch/network.h"

#include <doctest/doctest.h>

#include <cstddef>

using gs::arch::ConvLayer;

TEST_CASE("arch: the encoder and decoder tables chain up, mirror each other and end at relu4_1") {
  const auto& enc = gs::arch::encoder_layers();
  const auto& dec = gs::arch::decoder_layers();
  int pools = 0, ups = 0, level = 0;
  for (std::size_t i = 1; i < enc.size(); ++i) {
    CHECK(enc[i].in == enc[i - 1].out);
    CHECK(enc[i].pth_index > enc[i - 1].pth_index);
    if (i > 1) CHECK(enc[i].torchvision_index > enc[i - 1].torchvision_index);
  }
  for (const ConvLayer& l : enc) {
    pools += l.pool_after;
    if (l.relu_level) CHECK(l.relu_level == ++level);
  }
  CHECK(level == 4);
  CHECK(pools == 3);
  CHECK(enc.back().relu_level == 4);
  CHECK(dec.front().in == enc.back().out);
  for (std::size_t i = 1; i < dec.size(); ++i) {
    CHECK(dec[i].in == dec[i - 1].out);
    CHECK(dec[i].pth_index > dec[i - 1].pth_index);
  }
  for (const ConvLayer& l : dec) ups += l.upsample_after;
  CHECK(ups == 3);
  CHECK(dec.back().out == gs::arch::kRgb);
  CHECK_FALSE(dec.back().relu);
  CHECK(gs::arch::find_layer(enc, "conv3_4")->pool_after);
  CHECK(gs::arch::find_layer(dec, "conv3_4") == nullptr);
}
