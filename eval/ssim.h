// SSIM (Wang, Bovik, Sheikh, Simoncelli 2004) of two grey images: an 11x11 Gaussian window with
// sigma 1.5, K1 = 0.01, K2 = 0.03, dynamic range 1, statistics over the window positions that fit
// inside the image ("valid"), averaged: the reference MATLAB ssim_index's settings.
#pragma once
#include "tensor/tensor.h"

namespace gs::eval {

// rgb: [3,H,W] or [1,3,H,W] in [0,1] -> [H,W] luma, 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601).
Tensor to_grey(const Tensor& rgb);

// a, b: [H,W] grey in [0,1], same size, at least 11 x 11 -> mean SSIM in [-1, 1]; 1 iff a == b.
double ssim(const Tensor& a, const Tensor& b);

}  // namespace gs::eval
