#include "nn/conv2d.h"

#include <stdexcept>
#include <string>

#include "autograd/profiler.h"
#include "nn/image_layers.h"

namespace gs::nn {

namespace {

bool wants_grad(const ag::Variable& v) { return v.defined() && v.requires_grad(); }

// The backward of a ReLU from its output: g * (y > 0). g, y: same shape -> same shape
Tensor relu_backward(const Tensor& g_in, const Tensor& y) {
  Tensor g = g_in.contiguous();
  Tensor gz = Tensor::empty(y.shape());
  const float* gp = g.data();
  const float* yp = y.data();  // our own contiguous output
  float* out = gz.data();
  const int64_t n = y.numel();
#pragma omp parallel for simd schedule(static)
  for (int64_t i = 0; i < n; ++i) out[i] = yp[i] > 0.f ? gp[i] : 0.f;
  return gz;
}

// The shared body of conv2d and conv2d_relu.
ag::Variable conv2d_op(const ag::Variable& x, const ag::Variable& w, const ag::Variable& bias, Conv2dParams p,
                       bool relu) {
  const ag::Op op = relu ? ag::Op::conv2d_relu : ag::Op::conv2d;
  // 2 flops per multiply-add of the forward; each of the two backward products costs as much.
  const Shape y_shape = conv2d_out_shape(x.shape(), w.shape(), bias.defined() ? bias.shape() : Shape{}, p, "conv2d");
  const double flops = 2.0 * shape_numel(y_shape) * (w.numel() / w.size(0));
  ag::ForwardTimer timer(op, flops);
  const bool has_bias = bias.defined();
  Tensor b = has_bias ? bias.value() : Tensor();
  // forward_inference may drop what the backward would need, so pick it only when nothing will ask.
  const bool training = ag::grad_enabled() && (wants_grad(x) || wants_grad(w) || wants_grad(bias));
  Tensor y = conv2d_forward(x.value(), w.value(), b, p, training ? ConvPass::training : ConvPass::inference, relu);
  Tensor y_for_mask = relu ? y : Tensor();
  // The graph keeps the inputs (in[]), so the backward reads x and w from there.
  auto backward = [y_for_mask, p, relu, op, flops](std::vector<ag::Variable>& in, const Tensor& g) {
    if (ag::Profile* profile = ag::active_profile())
      profile->ops[static_cast<size_t>(op)].flops += flops * (in[0].requires_grad() + (in[1].requires_grad() || wants_grad(in[2])));
    const Tensor& xv = in[0].value();
    const Tensor& wv = in[1].value();
    Tensor gz = relu ? relu_backward(g, y_for_mask) : g;
    if (in[0].requires_grad()) in[0].add_grad(conv2d_backward_data(gz, wv, xv.shape(), p));
    const bool want_b = wants_grad(in[2]);
    if (in[1].requires_grad() || want_b) {
      Conv2dWeightGrads gw = conv2d_backward_weights(xv, gz, wv.shape(), want_b, p);
      if (in[1].requires_grad()) in[1].add_grad(gw.w);
      if (want_b) in[2].add_grad(gw.bias);
    }
  };
  return ag::Variable::make_output(op, y, {x, w, bias}, backward);
}

void check_3x3(const ag::Variable& w, const char* what) {
  if (w.dim() != 4 || w.size(2) != 3 || w.size(3) != 3)
    throw std::invalid_argument(std::string(what) + ": w must be [Co,Ci,3,3], got " + shape_str(w.shape()));
}

}  // namespace

ag::Variable conv2d(const ag::Variable& x, const ag::Variable& w, const ag::Variable& bias, Conv2dParams p) {
  return conv2d_op(x, w, bias, p, false);
}

ag::Variable conv2d_relu(const ag::Variable& x, const ag::Variable& w, const ag::Variable& bias, Conv2dParams p) {
  return conv2d_op(x, w, bias, p, true);
}

ag::Variable reflect_conv3x3(const ag::Variable& x, const ag::Variable& w, const ag::Variable& b) {
  check_3x3(w, "reflect_conv3x3");
  return conv2d(reflection_pad2d(x, 1), w, b);
}

ag::Variable reflect_conv3x3_relu(const ag::Variable& x, const ag::Variable& w, const ag::Variable& b) {
  check_3x3(w, "reflect_conv3x3_relu");
  return conv2d_relu(reflection_pad2d(x, 1), w, b);
}

}  // namespace gs::nn
