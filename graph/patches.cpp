#include "graph/patches.h"

#include <stdexcept>

#include "tensor/ops.h"
#include "autograd/profiler.h"

namespace gs::graph {

namespace {
void check_map(const Tensor& x, const char* what) {
  if (x.dim() != 4) throw std::invalid_argument(std::string(what) + " needs a map [N,C,H,W], got " + shape_str(x.shape()));
}
}  // namespace

PatchGrid patch_grid(int64_t height, int64_t width, int64_t p, const std::string& what) {
  if (p < 1 || p % 2 == 0)
    throw std::invalid_argument(what + ": the patch size p must be odd and >= 1, got p = " + std::to_string(p));
  if (height < p || width < p)
    throw std::invalid_argument(what + ": a " + std::to_string(height) + "x" + std::to_string(width) +
                                " map is smaller than the patch size p = " + std::to_string(p));
  return {height, width, p, (p - 1) / 2, height - p + 1, width - p + 1};
}

// [H, W]
Tensor coverage_map(const PatchGrid& g) {
  Tensor count = Tensor::empty({g.height, g.width});
  for (int64_t y = 0; y < g.height; ++y)
    for (int64_t x = 0; x < g.width; ++x)
      count.data()[y * g.width + x] = static_cast<float>(coverage(y, g.height, g.p) * coverage(x, g.width, g.p));
  return count;
}

// [N,C,H,W] -> [N, C*p*p, L]
Tensor unfold_columns(const Tensor& x_any, int64_t p) {
  check_map(x_any, "unfold");
  const Tensor x = x_any.contiguous();
  const int64_t N = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
  const PatchGrid g = patch_grid(H, W, p, "unfold of a map " + shape_str(x.shape()));
  const int64_t L = g.nodes();
  Tensor cols = Tensor::empty({N, C * p * p, L});
  const float* src = x.data();
  float* dst = cols.data();
#pragma omp parallel for collapse(2) if (cols.numel() > (1 << 16))
  for (int64_t n = 0; n < N; ++n)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t ky = 0; ky < p; ++ky)
        for (int64_t kx = 0; kx < p; ++kx) {
          const float* plane = src + (n * C + c) * H * W;
          float* row = dst + ((n * C + c) * p * p + ky * p + kx) * L;
          for (int64_t oy = 0; oy < g.rows; ++oy)
            for (int64_t ox = 0; ox < g.cols; ++ox) row[oy * g.cols + ox] = plane[(oy + ky) * W + ox + kx];
        }
  return cols;
}

// [N, C*p*p, L] -> [N,C,H,W], overlaps summed
Tensor fold_sum(const Tensor& cols_any, int64_t height, int64_t width, int64_t p) {
  const PatchGrid g = patch_grid(height, width, p, "fold");
  if (cols_any.dim() != 3 || cols_any.size(1) % (p * p) != 0 || cols_any.size(2) != g.nodes())
    throw std::invalid_argument("fold onto " + std::to_string(height) + "x" + std::to_string(width) + " with p = " +
                                std::to_string(p) + " needs columns [N, C*" + std::to_string(p * p) + ", " +
                                std::to_string(g.nodes()) + "], got " + shape_str(cols_any.shape()));
  const Tensor cols = cols_any.contiguous();
  const int64_t N = cols.size(0), C = cols.size(1) / (p * p), L = g.nodes();
  Tensor out = Tensor::zeros({N, C, height, width});
  const float* src = cols.data();
  float* dst = out.data();
  // One thread per channel plane: overlapping patches of a plane never race.
#pragma omp parallel for collapse(2) if (cols.numel() > (1 << 16))
  for (int64_t n = 0; n < N; ++n)
    for (int64_t c = 0; c < C; ++c) {
      float* plane = dst + (n * C + c) * height * width;
      for (int64_t ky = 0; ky < p; ++ky)
        for (int64_t kx = 0; kx < p; ++kx) {
          const float* row = src + ((n * C + c) * p * p + ky * p + kx) * L;
          for (int64_t oy = 0; oy < g.rows; ++oy)
            for (int64_t ox = 0; ox < g.cols; ++ox) plane[(oy + ky) * width + ox + kx] += row[oy * g.cols + ox];
        }
    }
  return out;
}

ag::Variable unfold(const ag::Variable& x, int64_t p) {
  ag::ForwardTimer timer(ag::Op::unfold);
  const int64_t H = x.size(2), W = x.size(3);
  return ag::Variable::make_output(ag::Op::unfold, unfold_columns(x.value(), p), {x},
                                   [H, W, p](std::vector<ag::Variable>& in, const Tensor& g) {
                                     in[0].add_grad(fold_sum(g, H, W, p));
                                   });
}

ag::Variable fold_average(const ag::Variable& cols, int64_t height, int64_t width, int64_t p) {
  ag::ForwardTimer timer(ag::Op::fold_average);
  const Tensor count = coverage_map(patch_grid(height, width, p, "fold_average"));
  Tensor out = fold_sum(cols.value(), height, width, p);
  out = gs::div(out, count);
  return ag::Variable::make_output(ag::Op::fold_average, out, {cols}, [count, p](std::vector<ag::Variable>& in, const Tensor& g) {
    in[0].add_grad(unfold_columns(gs::div(g, count), p));
  });
}

// [N,1,H,W] -> [N, L]
ag::Variable patch_mean(const ag::Variable& map, int64_t p) {
  ag::ForwardTimer timer(ag::Op::patch_mean);
  check_map(map.value(), "patch_mean");
  if (map.size(1) != 1) throw std::invalid_argument("patch_mean needs a one-channel map [N,1,H,W], got " + shape_str(map.shape()));
  const int64_t N = map.size(0), H = map.size(2), W = map.size(3);
  const PatchGrid g = patch_grid(H, W, p, "patch_mean of a map " + shape_str(map.shape()));
  const Tensor x = map.value().contiguous();
  const float inv_area = 1.f / static_cast<float>(p * p);
  Tensor out = Tensor::empty({N, g.nodes()});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t oy = 0; oy < g.rows; ++oy)
      for (int64_t ox = 0; ox < g.cols; ++ox) {
        const float* window = x.data() + n * H * W + oy * W + ox;
        double sum = 0;
        for (int64_t u = 0; u < p; ++u)
          for (int64_t v = 0; v < p; ++v) sum += window[u * W + v];
        out.data()[n * g.nodes() + oy * g.cols + ox] = static_cast<float>(sum) * inv_area;
      }
  return ag::Variable::make_output(ag::Op::patch_mean, out, {map}, [g, N, inv_area](std::vector<ag::Variable>& in, const Tensor& g_any) {
    const Tensor gout = g_any.contiguous();
    Tensor dmap = Tensor::zeros({N, 1, g.height, g.width});
    for (int64_t n = 0; n < N; ++n)
      for (int64_t i = 0; i < g.nodes(); ++i) {
        const float gi = gout.data()[n * g.nodes() + i] * inv_area;
        float* window = dmap.data() + n * g.height * g.width + (i / g.cols) * g.width + i % g.cols;
        for (int64_t u = 0; u < g.p; ++u)
          for (int64_t v = 0; v < g.p; ++v) window[u * g.width + v] += gi;
      }
    in[0].add_grad(dmap);
  });
}

}  // namespace gs::graph
