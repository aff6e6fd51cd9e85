// Golden-file checker for training (train/): one step of MODEL.md 4 from the file's initial state.
#include <cmath>
#include <map>

#include "models/stylizer.h"
#include "tensor/ops.h"
#include "dev/fixture_case.h"
#include "train/adam.h"
#include "train/train_step.h"

namespace gs::tools {

namespace {
// The whole model of the file under its canonical names; widths, d and the scale predictor's hidden
// channels follow from the shapes.
models::Stylizer fixture_model(const FixtureCase& f) {
  data::NamedTensors params;
  for (const std::string& name : f.file().members("params"))
    params.push_back({name, f.file().read_tensor("params/" + name)});
  models::ModelConfig config;
  for (const auto& [name, t] : params) {
    if (name == "encoder.conv1_1.weight") config.widths[0] = t.size(0);
    if (name == "encoder.conv2_1.weight") config.widths[1] = t.size(0);
    if (name == "encoder.conv3_1.weight") config.widths[2] = t.size(0);
    if (name == "encoder.conv4_1.weight") config.widths[3] = t.size(0);
    if (name == "inter.Wc") config.d = t.size(0);
    if (name == "scale.conv1.weight") config.scale_hidden = t.size(0);
  }
  config.patch = static_cast<int>(f.option("p"));
  return models::Stylizer(config, params);
}

void output_edges(FixtureCase& f, const std::string& name, const std::vector<graph::Edges>& edges) {
  std::vector<int64_t> index;
  for (const graph::Edges& e : edges) index.insert(index.end(), e.index.begin(), e.index.end());
  f.output_index(name, index);
}

// The float32 noise of each gradient, measured: how far our own gradients move when every input pixel
// moves by one ulp (a few random draws). The file's d32 is a single sample of that noise and can land
// far below it: for scale.conv1.bias PyTorch's float32 run is within 8e-8 of float64, while one-ulp
// changes of the images move that gradient by up to 1e-5 (the scale path is multiplied by the
// scale.conv2 weights, ~10 here). A wrong backward is off by orders of magnitude more.
std::map<std::string, double> gradient_noise(models::Stylizer& model, const Tensor& content, const Tensor& style,
                                             const train::StepOptions& options) {
  auto gradients = [&](const Tensor& c, const Tensor& s) {
    train::compute_gradients(model, c, s, options);
    std::map<std::string, Tensor> g;
    for (const nn::Parameter& p : model.params().parameters())
      if (p.var.requires_grad()) g[p.name] = p.var.grad().clone();
    return g;
  };
  const std::map<std::string, Tensor> exact = gradients(content, style);
  std::map<std::string, double> noise;
  Rng rng(2022);
  auto nudge = [&](const Tensor& x) {
    Tensor y = x.clone();
    for (int64_t i = 0; i < y.numel(); ++i) y.data()[i] = std::nextafter(y.data()[i], rng.next() % 2 ? 2.f : -1.f);
    return y;
  };
  for (int draw = 0; draw < 3; ++draw)
    for (const auto& [name, g] : gradients(nudge(content), nudge(style)))
      noise[name] = std::max(noise[name], double(max_abs_diff(g, exact.at(name))));
  return noise;
}

// Adam's first step moves a parameter by lr * g / (|g| + eps) (m_hat = g, v_hat = g^2). Where
// |g| >= 1e3 eps that is lr * sign(g) to 0.1%, and a gradient error delta changes it by only
// lr * eps * delta / g^2 <= 1e-2 delta: params_after is decided by the gradient, compare it. Where
// |g| is near eps (or ~1e-16, rounding noise around an exact 0, fixtures/README.md) the step is
// decided by that noise; there only Adam's bound |after - before| <= lr holds, and it is checked.
constexpr double kClearGradient = 1e-5;

void check_params_after(FixtureCase& f, models::Stylizer& model, const data::NamedTensors& before, double lr) {
  for (const auto& [name, value_before] : before) {
    Shape shape;
    const std::vector<double> grad = f.file().read_f64("grads/" + name, &shape);
    std::vector<bool> clear(grad.size());
    int64_t noisy = 0;
    for (size_t i = 0; i < grad.size(); ++i) noisy += !(clear[i] = std::fabs(grad[i]) >= kClearGradient);
    const Tensor after = model.params().get(name).value();
    f.compare_where("params_after/" + name, after, clear,
                    noisy ? " (" + std::to_string(noisy) + " elements with |grad| < 1e-5 checked by the bound)" : "");
    if (!noisy) continue;
    Comparison bound;
    bound.name = "params_after/" + name + " |step|";
    const Tensor a = after.contiguous(), b = value_before.contiguous();
    for (size_t i = 0; i < grad.size(); ++i)
      if (!clear[i]) bound.max_abs = std::max(bound.max_abs, double(std::fabs(a.data()[i] - b.data()[i])));
    bound.max_ref = lr;
    // lr itself, plus the float32 rounding of the new values (relative 6e-8; 1e-7 with margin).
    double largest = 0;
    for (size_t i = 0; i < grad.size(); ++i) largest = std::max(largest, double(std::fabs(b.data()[i])));
    bound.tol = lr + 1e-7 * largest;
    bound.pass = bound.max_abs <= bound.tol;
    bound.note = " (Adam's first step moves no parameter further than lr)";
    f.record(bound);
  }
}

void check_train_step(FixtureCase& f) {
  models::Stylizer model = fixture_model(f);
  train::StepOptions options;
  options.graph.p = static_cast<int>(f.option("p"));
  options.graph.k = static_cast<int>(f.option("k"));
  options.graph.kc = static_cast<int>(f.option("kc"));
  options.style_weight = static_cast<float>(f.option("style_weight"));
  train::AdamOptions adam_options;
  adam_options.lr = static_cast<float>(f.option("lr"));
  train::Adam adam(model.params().trainable(), adam_options);

  data::NamedTensors before;
  for (const nn::Parameter& p : model.params().parameters())
    if (p.var.requires_grad()) before.push_back({p.name, p.var.value().clone()});

  const Tensor content = f.file().read_tensor("inputs/content"), style = f.file().read_tensor("inputs/style");
  const std::map<std::string, double> noise = gradient_noise(model, content, style, options);
  train::StepTrace trace;
  const train::StepResult r = train::compute_gradients(model, content, style, options, &trace);
  f.compare("outputs/loss", Tensor::scalar(r.loss));
  f.compare("outputs/loss_content", Tensor::scalar(r.loss_content));
  f.compare("outputs/loss_style", Tensor::scalar(r.loss_style));
  f.compare("outputs/fc", trace.fc);
  f.compare("outputs/t", trace.t);
  f.compare("outputs/out", trace.out);
  f.compare("outputs/s", trace.graph.s.value());
  output_edges(f, "edges", trace.graph.inter);
  output_edges(f, "intra_edges", trace.graph.intra);
  for (const auto& [name, value] : before)
    f.compare("grads/" + name, model.params().get(name).grad(), 10.0, noise.at(name));

  if (!r.finite) throw std::runtime_error("train_step: a loss or gradient is not finite");
  adam.step();
  check_params_after(f, model, before, adam_options.lr);
}
}  // namespace

std::vector<FixtureChecker> train_fixture_checkers() { return {{"train_step", check_train_step}}; }

}  // namespace gs::tools
