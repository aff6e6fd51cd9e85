// Local-style distance: how well every local pattern of a stylized image is found in the style.
// Each 3x3 patch of the output's feature map, as a vector of C*9 values, is matched to the style
// map's patch of largest cosine similarity; the distance is 1 - that cosine, averaged over the
// output's patches (0: every output patch occurs in the style, up to scale).
//
// Computed a band of output rows at a time against the streamed style map with graph/patch_dots.h
// (a pixel Gram GEMM, then box sums), so memory grows with the maps, never with the Nc x Ns
// similarity matrix. A patch of zeros has cosine 0 with everything (distance 1).
#pragma once
#include <cstdint>

#include "tensor/tensor.h"

namespace gs::eval {

struct LocalStyleBlocking {  // 0 = chosen from the sizes; tests force small values
  int64_t band_rows = 0;     // output patch rows per task
  int64_t chunk_rows = 0;    // style pixel rows per GEMM
};

// out: [C,Ho,Wo], style: [C,Hs,Ws] (both at least p x p, same C) -> mean of 1 - max cosine.
double local_style_distance(const Tensor& out, const Tensor& style, int p = 3, const LocalStyleBlocking& blocking = {});

}  // namespace gs::eval
