// The end of the graph stage for inference (MODEL.md 2.9 with the alpha and mix controls) in one pass.
// Per channel the result is an affine map of F2 and Fc, so it needs only the three maps' statistics and
// no intermediate map: the autograd chain (nn/statistics.h) holds up to eight maps of the content's size
// at once, 4 GB of a 4096 x 4096 content's relu4_1.
#pragma once
#include "nn/statistics.h"
#include "tensor/tensor.h"

namespace gs::nn {

// f2, fc: [N,C,H,W], fs: [N,C,Hs,Ws] -> [N,C,H,W]:
//   alpha * adain(f2, fs) + (1 - alpha) * ((1 - mix) * fc + mix * adain(fc, fs)),
// the statistics summed in double; equal to the autograd chain up to float rounding (tested).
Tensor adain_blend(const Tensor& f2, const Tensor& fc, const Tensor& fs, float alpha, float mix, float eps = kStdEps);

}  // namespace gs::nn
