// The image layers of nn/image_layers.h for inference on channels-last maps [N,H,W,C].
//
// Why a second layout: oneDNN's fastest float convolutions on this CPU read and write
// channels-last (NHWC) maps. Kept in NCHW, every conv layer pays a transpose of its input and of its
// output (about a quarter of the encoder's time) and holds both copies at once. Kept in NHWC from
// the first layer to the last, the network transposes once on the way in and once on the way out.
// These kernels do the same arithmetic as their NCHW versions (same comparisons, same products in
// the same order), so the results are bit-identical; they have no backward (inference only).
// Each writes into `out` when one is given (contiguous, of the output shape: a caller reusing its
// buffers), else into a fresh tensor, and returns it.
#pragma once
#include <cstdint>

#include "nn/image_layers.h"
#include "tensor/tensor.h"

namespace gs::nn {

// `out` if given (checked: contiguous, this shape), else a fresh tensor of this shape.
Tensor output_or_new(Tensor out, const Shape& shape, const char* what);

// x: [N,C,H,W] (any view) -> [N,H,W,C] contiguous
Tensor to_nhwc(const Tensor& x);
// x: [N,H,W,C] contiguous -> [N,C,H,W] contiguous
Tensor to_nchw(const Tensor& x);

// x: [N,H,W,C] -> [N,H+2p,W+2p,C]; mirrors without repeating the edge (pad < H and pad < W).
Tensor reflection_pad_nhwc(const Tensor& x, int pad, Tensor out = {});

// x: [N,H,W,C] -> [N,ceil(H/2),ceil(W/2),C]; 2x2 max-pool, stride 2, ceil mode (partial windows at odd sizes).
Tensor max_pool2x2_ceil_nhwc(const Tensor& x, Tensor out = {});

// x: [N,H,W,C] -> [N,2H,2W,C]; nearest, or bilinear with align_corners = false.
Tensor upsample2x_nhwc(const Tensor& x, Upsample mode, Tensor out = {});

}  // namespace gs::nn
