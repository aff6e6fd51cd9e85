// The image layers of the encoder and decoder as autograd ops: reflection padding, 2x2 max-pool
// with ceil mode and x2 upsampling (ReLU is ag::relu, or fused into the conv: nn/conv2d.h).
// Inputs may be any view; outputs are contiguous NCHW. Conventions (../shared/fixtures/README.md):
// max-pool ties send the gradient to the first maximum in row-major window order; bilinear
// upsampling uses align_corners = false.
#pragma once
#include <cstdint>

#include "autograd/variable.h"

namespace gs::nn {

// x: [N,C,H,W] -> [N,C,H+2p,W+2p]; mirrors without repeating the edge (torch's ReflectionPad2d),
// so pad must be smaller than H and W. A mirrored pixel gets the gradients of all its copies.
ag::Variable reflection_pad2d(const ag::Variable& x, int pad);

// x: [N,C,H,W] -> [N,C,ceil(H/2),ceil(W/2)]; at odd sizes the last window is partial.
ag::Variable max_pool2x2_ceil(const ag::Variable& x);

enum class Upsample { nearest, bilinear };
// x: [N,C,H,W] -> [N,C,2H,2W]
ag::Variable upsample2x(const ag::Variable& x, Upsample mode);

}  // namespace gs::nn
