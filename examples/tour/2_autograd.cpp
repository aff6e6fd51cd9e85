// Tour step 2: reverse-mode autograd. Build y = relu(conv(x, w) + b), take L = sum(y * r) for a
// fixed random r, call backward(), and compare dL/dw and dL/db with finite differences.
// Read autograd/variable.h (make_output, backward), autograd/elementwise_ops.cpp (add, relu),
// nn/conv2d.cpp (conv2d: forward and backward together), then autograd/to_dot.cpp.
// Usage: tour_2_autograd [graph.dot]   (draw it: dot -Tsvg graph.dot -o graph.svg)
#include <cmath>
#include <cstdio>
#include <fstream>

#include "autograd/ops.h"
#include "autograd/to_dot.h"
#include "nn/conv2d.h"

using gs::Tensor;
using gs::ag::Variable;

int main(int argc, char** argv) {
  // Seed 22 keeps every pre-activation conv + b at least 0.5 from relu's kink at 0, so no probe
  // below (which moves it by at most ~0.04) straddles the kink. Try seed 7 to see what a kink does.
  gs::Rng rng(22);
  Variable x(Tensor::randn({1, 2, 5, 5}, rng), false);  // the input: no gradient wanted
  Variable w(Tensor::randn({3, 2, 3, 3}, rng, 0.5f), true);
  Variable b(Tensor::randn({1, 3, 1, 1}, rng, 0.5f), true);  // broadcast over N, H, W
  const Variable r(Tensor::randn({1, 3, 3, 3}, rng));  // fixed weights: every output matters to L

  auto loss_of = [&](const Variable& w_, const Variable& b_) {
    Variable y = gs::ag::relu(gs::ag::add(gs::nn::conv2d(x, w_), b_));
    return gs::ag::sum(gs::ag::mul(y, r));
  };

  // The graph exists between the forward and backward(): print it now.
  Variable loss = loss_of(w, b);
  const std::string dot = gs::ag::to_dot(loss, {{"x", x}, {"w", w}, {"b", b}, {"r", r}, {"L", loss}});
  std::printf("%s", dot.c_str());
  if (argc > 1) std::ofstream(argv[1]) << dot;
  loss.backward();
  std::printf("L = %.6f\n", loss.value().item());

  // Central differences, one weight at a time: (L(w + h e_i) - L(w - h e_i)) / 2h.
  const float h = 1e-2f;
  double worst = 0;
  for (Variable* p : {&w, &b}) {
    gs::ag::NoGradGuard no_graph;  // the probes need values only
    Tensor& v = p->value();
    for (int64_t i = 0; i < v.numel(); ++i) {
      const float saved = v.data()[i];
      v.data()[i] = saved + h;
      const double up = loss_of(w, b).value().item();
      v.data()[i] = saved - h;
      const double down = loss_of(w, b).value().item();
      v.data()[i] = saved;
      const double numeric = (up - down) / (2 * h), analytic = p->grad().data()[i];
      const double err = std::fabs(numeric - analytic) / (1e-2 + std::fabs(numeric));
      worst = std::fmax(worst, err);
    }
  }
  std::printf("dL/dw[0] = %.5f, dL/db = %s\n", w.grad().data()[0], b.grad().str().c_str());
  std::printf("largest relative gradient error vs finite differences: %.2e\n", worst);
  // float32 rounding of L divided by 2h is ~1e-4 here; a wrong backward term is off by O(1).
  const bool ok = worst < 1e-2;
  std::printf("%s\n", ok ? "tour 2: OK" : "tour 2: FAILED");
  return ok ? 0 : 1;
}
