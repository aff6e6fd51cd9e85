#include "nn/image_layers.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "nn/layer_indexing.h"
#include "autograd/profiler.h"

namespace gs::nn {

namespace {
using detail::beats;
using detail::bilinear_taps;
using detail::pool_max;
using detail::reflect;
using detail::Tap;

// Every kernel below works on contiguous [N,C,H,W] data one plane (one (n, c)) at a time; planes
// are independent, so they are the unit of OpenMP parallelism and backward scatters never race.
struct Planes {
  int64_t count, h, w;
};

Planes planes_of(const Tensor& x, const char* what) {
  if (x.dim() != 4)
    throw std::invalid_argument(std::string(what) + ": x must be [N,C,H,W], got " + shape_str(x.shape()));
  return {x.size(0) * x.size(1), x.size(2), x.size(3)};
}

// --- reflection padding ---------------------------------------------------------------------------


// x: [N,C,H,W] -> [N,C,H+2p,W+2p]
Tensor reflection_pad_forward(const Tensor& x_in, int p) {
  Tensor x = x_in.contiguous();
  Planes s = planes_of(x, "reflection_pad2d");
  const int64_t ho = s.h + 2 * p, wo = s.w + 2 * p;
  Tensor y = Tensor::empty({x.size(0), x.size(1), ho, wo});
  const float* xp = x.data();
  float* yp = y.data();
#pragma omp parallel for schedule(static)
  for (int64_t plane = 0; plane < s.count; ++plane) {
    const float* src = xp + plane * s.h * s.w;
    float* dst = yp + plane * ho * wo;
    for (int64_t i = 0; i < ho; ++i) {
      const float* row = src + reflect(i - p, s.h) * s.w;
      float* out = dst + i * wo;
      for (int64_t j = 0; j < p; ++j) out[j] = row[p - j];
      std::copy(row, row + s.w, out + p);
      for (int64_t j = 0; j < p; ++j) out[p + s.w + j] = row[s.w - 2 - j];
    }
  }
  return y;
}

// g: [N,C,H+2p,W+2p] -> [N,C,H,W]; each padded pixel adds into the pixel it copies.
Tensor reflection_pad_backward(const Tensor& g_in, const Shape& x_shape, int p) {
  Tensor g = g_in.contiguous();
  Tensor gx = Tensor::zeros(x_shape);
  const int64_t count = x_shape[0] * x_shape[1], h = x_shape[2], w = x_shape[3];
  const int64_t ho = h + 2 * p, wo = w + 2 * p;
  const float* gp = g.data();
  float* gxp = gx.data();
#pragma omp parallel for schedule(static)
  for (int64_t plane = 0; plane < count; ++plane) {
    const float* src = gp + plane * ho * wo;
    float* dst = gxp + plane * h * w;
    for (int64_t i = 0; i < ho; ++i) {
      float* row = dst + reflect(i - p, h) * w;
      const float* g = src + i * wo;
      for (int64_t j = 0; j < w; ++j) row[j] += g[p + j];
      for (int64_t j = 0; j < p; ++j) {
        row[p - j] += g[j];              // left border: padded column j copies column p - j
        row[w - 2 - j] += g[p + w + j];  // right border: padded column p + w + j copies w - 2 - j
      }
    }
  }
  return gx;
}

// --- max-pool 2x2, stride 2, ceil mode ------------------------------------------------------------


// Flat index in the plane of the maximum of window (oy, ox); at odd sizes the last row and column
// of windows are partial (ceil mode).
inline int64_t window_argmax(const float* plane, int64_t h, int64_t w, int64_t oy, int64_t ox) {
  const int64_t first = 2 * oy * w + 2 * ox;
  const bool right = 2 * ox + 1 < w, down = 2 * oy + 1 < h;
  int64_t at = first;
  float best = plane[first];
  auto consider = [&](int64_t i) {
    const bool take = beats(plane[i], best);
    best = take ? plane[i] : best;
    at = take ? i : at;
  };
  if (right) consider(first + 1);
  if (down) consider(first + w);
  if (down && right) consider(first + w + 1);
  return at;
}

// x: [N,C,H,W] -> [N,C,ceil(H/2),ceil(W/2)]
Tensor max_pool_forward(const Tensor& x_in) {
  Tensor x = x_in.contiguous();
  Planes s = planes_of(x, "max_pool2x2_ceil");
  const int64_t ho = (s.h + 1) / 2, wo = (s.w + 1) / 2, full_w = s.w / 2;
  Tensor y = Tensor::empty({x.size(0), x.size(1), ho, wo});
  const float* xp = x.data();
  float* yp = y.data();
#pragma omp parallel for schedule(static)
  for (int64_t plane = 0; plane < s.count; ++plane) {
    const float* src = xp + plane * s.h * s.w;
    float* dst = yp + plane * ho * wo;
    for (int64_t oy = 0; oy < ho; ++oy) {
      const float* r0 = src + 2 * oy * s.w;
      const float* r1 = 2 * oy + 1 < s.h ? r0 + s.w : r0;  // a partial last row compares with itself
      float* out = dst + oy * wo;
      // Only the value is needed here, and it does not depend on which tied element wins.
      for (int64_t ox = 0; ox < full_w; ++ox)
        out[ox] = pool_max(pool_max(pool_max(r0[2 * ox], r0[2 * ox + 1]), r1[2 * ox]), r1[2 * ox + 1]);
      if (wo > full_w) out[full_w] = pool_max(r0[2 * full_w], r1[2 * full_w]);
    }
  }
  return y;
}

// g: [N,C,ceil(H/2),ceil(W/2)], x: [N,C,H,W] -> [N,C,H,W]; the argmax is found again from x
// (cheaper in memory than saving indices, and the same scan, so the same tie rule).
Tensor max_pool_backward(const Tensor& g_in, const Tensor& x_in) {
  Tensor g = g_in.contiguous(), x = x_in.contiguous();
  Planes s = planes_of(x, "max_pool2x2_ceil");
  const int64_t ho = (s.h + 1) / 2, wo = (s.w + 1) / 2;
  Tensor gx = Tensor::zeros(x.shape());
  const float* xp = x.data();
  const float* gp = g.data();
  float* gxp = gx.data();
#pragma omp parallel for schedule(static)
  for (int64_t plane = 0; plane < s.count; ++plane) {
    const float* src = xp + plane * s.h * s.w;
    const float* gsrc = gp + plane * ho * wo;
    float* dst = gxp + plane * s.h * s.w;
    for (int64_t oy = 0; oy < ho; ++oy)
      for (int64_t ox = 0; ox < wo; ++ox) dst[window_argmax(src, s.h, s.w, oy, ox)] += gsrc[oy * wo + ox];
  }
  return gx;
}

// --- x2 upsampling ----------------------------------------------------------------------------------

// x: [N,C,H,W] -> [N,C,2H,2W]; y[2i+a, 2j+b] = x[i, j]
Tensor upsample_nearest_forward(const Tensor& x_in) {
  Tensor x = x_in.contiguous();
  Planes s = planes_of(x, "upsample2x");
  const int64_t wo = 2 * s.w;
  Tensor y = Tensor::empty({x.size(0), x.size(1), 2 * s.h, wo});
  const float* xp = x.data();
  float* yp = y.data();
#pragma omp parallel for schedule(static)
  for (int64_t plane = 0; plane < s.count; ++plane) {
    const float* src = xp + plane * s.h * s.w;
    float* dst = yp + plane * 4 * s.h * s.w;
    for (int64_t i = 0; i < s.h; ++i) {
      float* row = dst + 2 * i * wo;
      for (int64_t j = 0; j < s.w; ++j) row[2 * j] = row[2 * j + 1] = src[i * s.w + j];
      std::copy(row, row + wo, row + wo);
    }
  }
  return y;
}

// g: [N,C,2H,2W] -> [N,C,H,W]; the sum of each 2x2 block
Tensor upsample_nearest_backward(const Tensor& g_in, const Shape& x_shape) {
  Tensor g = g_in.contiguous();
  const int64_t count = x_shape[0] * x_shape[1], h = x_shape[2], w = x_shape[3], wo = 2 * w;
  Tensor gx = Tensor::empty(x_shape);
  const float* gp = g.data();
  float* gxp = gx.data();
#pragma omp parallel for schedule(static)
  for (int64_t plane = 0; plane < count; ++plane) {
    const float* src = gp + plane * 4 * h * w;
    float* dst = gxp + plane * h * w;
    for (int64_t i = 0; i < h; ++i) {
      const float* r0 = src + 2 * i * wo;
      const float* r1 = r0 + wo;
      for (int64_t j = 0; j < w; ++j) dst[i * w + j] = (r0[2 * j] + r0[2 * j + 1]) + (r1[2 * j] + r1[2 * j + 1]);
    }
  }
  return gx;
}


// x: [N,C,H,W] -> [N,C,2H,2W]
Tensor upsample_bilinear_forward(const Tensor& x_in) {
  Tensor x = x_in.contiguous();
  Planes s = planes_of(x, "upsample2x");
  const int64_t ho = 2 * s.h, wo = 2 * s.w;
  const std::vector<Tap> ty = bilinear_taps(s.h), tx = bilinear_taps(s.w);
  Tensor y = Tensor::empty({x.size(0), x.size(1), ho, wo});
  const float* xp = x.data();
  float* yp = y.data();
#pragma omp parallel for schedule(static)
  for (int64_t plane = 0; plane < s.count; ++plane) {
    const float* src = xp + plane * s.h * s.w;
    float* dst = yp + plane * ho * wo;
    for (int64_t i = 0; i < ho; ++i) {
      const Tap& a = ty[i];
      const float* r0 = src + a.i0 * s.w;
      const float* r1 = src + a.i1 * s.w;
      for (int64_t j = 0; j < wo; ++j) {
        const Tap& b = tx[j];
        dst[i * wo + j] = a.w0 * (b.w0 * r0[b.i0] + b.w1 * r0[b.i1]) + a.w1 * (b.w0 * r1[b.i0] + b.w1 * r1[b.i1]);
      }
    }
  }
  return y;
}

// g: [N,C,2H,2W] -> [N,C,H,W]; the adjoint: each output spreads its gradient over its 4 taps
Tensor upsample_bilinear_backward(const Tensor& g_in, const Shape& x_shape) {
  Tensor g = g_in.contiguous();
  const int64_t count = x_shape[0] * x_shape[1], h = x_shape[2], w = x_shape[3], ho = 2 * h, wo = 2 * w;
  const std::vector<Tap> ty = bilinear_taps(h), tx = bilinear_taps(w);
  Tensor gx = Tensor::zeros(x_shape);
  const float* gp = g.data();
  float* gxp = gx.data();
#pragma omp parallel for schedule(static)
  for (int64_t plane = 0; plane < count; ++plane) {
    const float* src = gp + plane * ho * wo;
    float* dst = gxp + plane * h * w;
    for (int64_t i = 0; i < ho; ++i) {
      const Tap& a = ty[i];
      float* r0 = dst + a.i0 * w;
      float* r1 = dst + a.i1 * w;
      for (int64_t j = 0; j < wo; ++j) {
        const Tap& b = tx[j];
        const float v = src[i * wo + j];
        r0[b.i0] += a.w0 * b.w0 * v;
        r0[b.i1] += a.w0 * b.w1 * v;
        r1[b.i0] += a.w1 * b.w0 * v;
        r1[b.i1] += a.w1 * b.w1 * v;
      }
    }
  }
  return gx;
}

}  // namespace

ag::Variable reflection_pad2d(const ag::Variable& x, int pad) {
  ag::ForwardTimer timer(ag::Op::reflection_pad2d);
  if (x.dim() != 4 || pad < 0 || pad >= x.size(2) || pad >= x.size(3))
    throw std::invalid_argument("reflection_pad2d: x " + shape_str(x.shape()) + " cannot be reflect-padded by " +
                                std::to_string(pad) + " (needs [N,C,H,W] with 0 <= pad < H and pad < W)");
  Shape x_shape = x.shape();
  return ag::Variable::make_output(ag::Op::reflection_pad2d, reflection_pad_forward(x.value(), pad), {x},
                                   [x_shape, pad](std::vector<ag::Variable>& in, const Tensor& g) {
                                     in[0].add_grad(reflection_pad_backward(g, x_shape, pad));
                                   });
}

ag::Variable max_pool2x2_ceil(const ag::Variable& x) {
  ag::ForwardTimer timer(ag::Op::max_pool2x2_ceil);
  return ag::Variable::make_output(ag::Op::max_pool2x2_ceil,
      max_pool_forward(x.value()), {x},
      [](std::vector<ag::Variable>& in, const Tensor& g) { in[0].add_grad(max_pool_backward(g, in[0].value())); });
}

ag::Variable upsample2x(const ag::Variable& x, Upsample mode) {
  Shape x_shape = x.shape();
  ag::ForwardTimer timer(mode == Upsample::nearest ? ag::Op::upsample_nearest2x : ag::Op::upsample_bilinear2x);
  if (mode == Upsample::nearest)
    return ag::Variable::make_output(ag::Op::upsample_nearest2x, upsample_nearest_forward(x.value()), {x},
                                     [x_shape](std::vector<ag::Variable>& in, const Tensor& g) {
                                       in[0].add_grad(upsample_nearest_backward(g, x_shape));
                                     });
  return ag::Variable::make_output(ag::Op::upsample_bilinear2x, upsample_bilinear_forward(x.value()), {x},
                                   [x_shape](std::vector<ag::Variable>& in, const Tensor& g) {
                                     in[0].add_grad(upsample_bilinear_backward(g, x_shape));
                                   });
}

}  // namespace gs::nn
