// graphstyle-dev train-graph: what one training step records, as Graphviz DOT (autograd/to_dot.h),
// for a learner to draw (`dot -Tsvg step.dot`). One real step of train/train_step.cpp (MODEL.md 4:
// p = k = kc = 5) on a small random batch; the model's parameters are random (MODEL.md's
// initialisation for the graph part): the graph's shape does not depend on their values.
// docs/tour/model_train_step.png is `dot -Tpng -Gdpi=34` of `--crop 64`.
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "data/atomic_file.h"
#include "models/init.h"
#include "models/stylizer.h"
#include "tools/args.h"
#include "train/adam.h"
#include "train/train_step.h"

namespace gs::tools {

namespace {
const char* kUsage =
    "usage: graphstyle-dev train-graph --out STEP.dot [--crop 64] [--batch 1]\n"
    "  records one training step on random images and writes its autograd graph as Graphviz DOT:\n"
    "  the loss network, the decoder and the graph stage (the step's three backward stages)\n";
}  // namespace

int run_train_graph(const std::vector<std::string>& argv) {
  Args args(argv, kUsage);
  if (args.help()) {
    std::printf("%s", kUsage);
    return 0;
  }
  const std::string out = args.required("--out");
  const int64_t crop = args.get_int("--crop", 64, 40, 1024);  // relu4_1 must hold a 5x5 patch
  const int64_t batch = args.get_int("--batch", 1, 1, 16);
  args.finish();

  const models::ModelConfig config;
  Rng rng(1);
  data::NamedTensors params;
  const data::NamedTensors graph = models::init_graph_params(config, 1);
  for (const auto& [name, shape] : models::parameter_shapes(config)) {
    Tensor value = Tensor::randn(shape, rng, 0.02f);
    for (const auto& [g, init] : graph)
      if (g == name) value = init;
    params.push_back({name, value});
  }
  models::Stylizer model(config, params);
  train::Adam adam(model.params().trainable());
  train::StepTrace trace;
  trace.want_dot = true;
  const Tensor content = Tensor::uniform({batch, 3, crop, crop}, rng, 0.f, 1.f);
  const Tensor style = Tensor::uniform({batch, 3, crop, crop}, rng, 0.f, 1.f);
  const train::StepResult r = train::train_step(model, adam, content, style, train::StepOptions{}, &trace);

  // Three long chains (loss network, decoder, graph stage) read better top to bottom, side by side.
  std::string dot = trace.dot;
  const size_t lr = dot.find("rankdir=LR");
  if (lr != std::string::npos) dot.replace(lr, 10, "rankdir=TB");
  data::AtomicFile file(out);
  std::ofstream(file.temp_path()) << dot;
  file.commit();
  std::printf("one step at batch %lld of %lldx%lld (loss %.3g): %s\n", static_cast<long long>(batch),
              static_cast<long long>(crop), static_cast<long long>(crop), r.loss, out.c_str());
  return 0;
}

}  // namespace gs::tools
