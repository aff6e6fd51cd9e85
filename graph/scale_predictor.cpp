#include "graph/scale_predictor.h"

#include <algorithm>
#include <stdexcept>

#include "autograd/ops.h"
#include "graph/patches.h"
#include "nn/conv2d.h"
#include "autograd/profiler.h"

namespace gs::graph {

ag::Variable scale_map(const nn::Module& params, const ag::Variable& fc, float s_min, float s_max) {
  const ag::Variable h = nn::reflect_conv3x3_relu(fc, params.get("scale.conv1.weight"), params.get("scale.conv1.bias"));
  const ag::Variable g = nn::reflect_conv3x3(h, params.get("scale.conv2.weight"), params.get("scale.conv2.bias"));
  return ag::add_scalar(ag::mul_scalar(ag::sigmoid(g), s_max - s_min), s_min);
}

// S: [N,1,H,W] -> [N,Nc]
ag::Variable node_scales(const ag::Variable& S, int64_t p, float stroke) {
  ag::ForwardTimer timer(ag::Op::node_scales);
  if (S.dim() != 4 || S.size(1) != 1) throw std::invalid_argument("node_scales: S must be [N,1,H,W], got " + shape_str(S.shape()));
  if (!(stroke > 0.f)) throw std::invalid_argument("stroke must be > 0, got " + std::to_string(stroke));
  const PatchGrid grid = patch_grid(S.size(2), S.size(3), p, "node_scales");
  const int64_t N = S.size(0), H = S.size(2), W = S.size(3), r = (p - 1) / 2;
  const int64_t gh = H - p + 1, gw = W - p + 1, Nc = gh * gw;
  (void)grid;
  const Tensor in = S.value().contiguous();
  Tensor s = Tensor::empty({N, Nc});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t oy = 0; oy < gh; ++oy)
      for (int64_t ox = 0; ox < gw; ++ox) {
        const float v = stroke * in.data()[(n * H + oy + r) * W + ox + r];
        s.data()[n * Nc + oy * gw + ox] = std::clamp(v, kStrokeMin, kStrokeMax);
      }
  return ag::Variable::make_output(ag::Op::node_scales, s, {S}, [=](std::vector<ag::Variable>& inputs, const Tensor& g) {
    const Tensor x = inputs[0].value().contiguous();
    const Tensor gc = g.contiguous();
    Tensor gS = Tensor::zeros(inputs[0].shape());
    for (int64_t n = 0; n < N; ++n)
      for (int64_t oy = 0; oy < gh; ++oy)
        for (int64_t ox = 0; ox < gw; ++ox) {
          const int64_t at = (n * H + oy + r) * W + ox + r;
          const float v = stroke * x.data()[at];
          // torch.clamp passes the gradient at the bounds themselves, not beyond them.
          if (v >= kStrokeMin && v <= kStrokeMax) gS.data()[at] = stroke * gc.data()[n * Nc + oy * gw + ox];
        }
    inputs[0].add_grad(gS);
  });
}

}  // namespace gs::graph
