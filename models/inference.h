// The encoder (to relu4_1) and the decoder for inference, where nothing needs a gradient:
//   * activations stay channels-last from the first layer to the last (nn/nhwc_layers.h), so no
//     layer transposes its input or output for oneDNN;
//   * each conv's weights are put into oneDNN's layout once per object, not once per layer run;
//   * an image larger than kStripPixels runs in horizontal strips (models/strips.h), so memory
//     follows the width of the image rather than its area; the result equals the untiled one.
// Same numbers as models/encoder.h and models/decoder.h (the same oneDNN kernels, no transposes).
// Build one per call (weights may change between calls in training) and use it for every image.
//
// Precision::bf16: the convolutions whose input and output both have a multiple of 16 channels
// (all but the 3-channel image layers at either end) multiply in bf16 and accumulate in fp32, their
// weights converted once per object; the maps between two such convs stay bf16 and channels-last
// (nn/bf16_maps.h), which the bf16 kernels read and write without a reorder. What leaves the net
// (relu4_1, the image) is fp32. Asked on a CPU without native bf16 (nn::bf16_supported()), the
// nets run in fp32; precision() says which ran.
#pragma once
#include <vector>

#include "models/config.h"
#include "models/strips.h"
#include "nn/module.h"
#include "nn/onednn_conv.h"
#include "tensor/tensor.h"

namespace gs::models {

class PingPong;  // the two buffers one pass of a net writes into (inference.cpp)

// One conv layer of the inference nets: reflection pad 1 (or zero pad inside the conv) + conv.
struct InferenceLayer {
  nn::InferenceConv2d conv;
  bool reflect;  // reflection-pad by 1 first (the conv itself then has no padding)
  int64_t kernel;  // 3 or 1 (vgg_normalised's conv0), for the profiler's flop count
  bool pool_after, upsample_after;
  bool convert_before = false;  // the input arrives in fp32 and this conv reads bf16
};

enum class Precision { fp32, bf16 };

class EncoderInference {
 public:
  EncoderInference(const nn::Module& params, const ModelConfig& config, Precision precision = Precision::fp32);
  Precision precision() const { return precision_; }  // what runs: fp32 if bf16 was asked but is not supported
  // Before the buffers of a large image (one run in strips) are taken, give the heap's free memory
  // back to the system (malloc_trim): a process-wide effect, so the caller opts in.
  void set_trim_heap(bool on) { trim_heap_ = on; }
  // x: [N,3,H,W] -> relu4_1 [N,C,ceil(H/8),ceil(W/8)]; strips of at most strip_pixels pixels.
  Tensor operator()(const Tensor& x, int64_t strip_pixels = kStripPixels) const;
  // x: [N,3,H,W] -> relu1_1, relu2_1, relu3_1, relu4_1 ([N,C_l,ceil(H/2^(l-1)),ceil(W/2^(l-1))]), for
  // losses and metrics on all four. The whole image at once (no strips): memory grows with its area.
  std::vector<Tensor> relus(const Tensor& x) const;

 private:
  Tensor run_nhwc(const Tensor& x, PingPong& pp) const;  // [N,H,W,3] -> [N,h,w,C], all at once
  ModelConfig config_;
  std::vector<InferenceLayer> layers_;
  Precision precision_;
  bool trim_heap_ = false;
};

class DecoderInference {
 public:
  DecoderInference(const nn::Module& params, const ModelConfig& config, Precision precision = Precision::fp32);
  Precision precision() const { return precision_; }  // what runs: fp32 if bf16 was asked but is not supported
  // Before the buffers of a large image (one run in strips) are taken, give the heap's free memory
  // back to the system (malloc_trim): a process-wide effect, so the caller opts in.
  void set_trim_heap(bool on) { trim_heap_ = on; }
  // t: [N,C,h,w] -> [N,3,8h,8w]; strips of at most strip_pixels output pixels.
  Tensor operator()(const Tensor& t, int64_t strip_pixels = kStripPixels) const;

 private:
  Tensor run_nhwc(const Tensor& t, PingPong& pp) const;  // [N,h,w,C] -> [N,8h,8w,3], all at once
  ModelConfig config_;
  std::vector<InferenceLayer> layers_;
  Precision precision_;
  bool trim_heap_ = false;
};

}  // namespace gs::models
