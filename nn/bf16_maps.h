// Channels-last maps of bfloat16 values for bf16 inference (models/inference.h), and the layers
// between convolutions that need to know the element type.
//
// Why packed into float tensors: the bf16 convolutions (nn/onednn_conv.h, ActivationTypes) read
// and write bf16 maps, and the layers between them (reflection pad, pool, upsample) must pass them
// on without a conversion each time, which would cost a pass over the map per layer. Our Tensor
// holds floats only, so a [N,H,W,C] bf16 map lives in a [N,H,W,C/2] float tensor, two bf16 values
// per float, in memory order (C even). Pure copies (nn::reflection_pad_nhwc, nearest
// upsample2x_nhwc) then work on the packed tensor unchanged and bit-exact; the kernels below are
// the ones that look at values. Rounding is to nearest, ties to even (as oneDNN rounds).
#pragma once
#include <cstdint>
#include <cstring>

#include "nn/image_layers.h"
#include "tensor/tensor.h"

namespace gs::nn {

inline float bf16_to_float(uint16_t b) {
  const uint32_t bits = static_cast<uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

inline uint16_t float_to_bf16(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  if ((bits & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((bits >> 16) | 0x40);  // NaN stays NaN
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return static_cast<uint16_t>(bits >> 16);
}

// x: [N,H,W,C] fp32 (C even) -> [N,H,W,C/2] packed bf16
Tensor to_bf16_nhwc(const Tensor& x, Tensor out = {});
// x: [N,H,W,C/2] packed bf16 -> [N,H,W,C] fp32
Tensor from_bf16_nhwc(const Tensor& x, Tensor out = {});

// x: [N,H,W,C/2] packed -> [N,ceil(H/2),ceil(W/2),C/2] packed; max_pool2x2_ceil_nhwc on the values.
Tensor max_pool2x2_ceil_bf16_nhwc(const Tensor& x, Tensor out = {});

// x: [N,H,W,C/2] packed -> [N,2H,2W,C/2] packed; upsample2x_nhwc on the values (bilinear computes in
// fp32 and rounds once).
Tensor upsample2x_bf16_nhwc(const Tensor& x, Upsample mode, Tensor out = {});

}  // namespace gs::nn
