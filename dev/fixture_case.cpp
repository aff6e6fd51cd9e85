#include "dev/fixture_case.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gs::tools {

namespace {
// grad_wrt is a JSON list of names: ["x", "w", "b"]. Names hold no quotes or commas.
std::vector<std::string> parse_name_list(const std::string& json) {
  std::vector<std::string> names;
  size_t at = 0;
  while ((at = json.find('"', at)) != std::string::npos) {
    const size_t end = json.find('"', at + 1);
    if (end == std::string::npos) break;
    names.push_back(json.substr(at + 1, end - at - 1));
    at = end + 1;
  }
  return names;
}
}  // namespace

FixtureCase::FixtureCase(const std::string& path) : file_(data::H5File::open_golden(path)) {
  if (!file_.has_attr("/", "op")) throw std::runtime_error(path + ": no 'op' attribute: not a golden file");
  if (file_.has_attr("/", "grad_wrt")) grad_wrt_ = parse_name_list(file_.attr_string("/", "grad_wrt"));
}

ag::Variable FixtureCase::load(const std::string& dataset, const std::string& name) {
  const bool wanted = std::find(grad_wrt_.begin(), grad_wrt_.end(), name) != grad_wrt_.end();
  ag::Variable v(file_.read_tensor(dataset), wanted);
  if (wanted) leaves_.push_back({name, v});
  return v;
}

double FixtureCase::f32_floor(const std::string& dataset) const {
  const std::string attr = "max_abs_diff/" + dataset;
  return file_.has_attr("f32", attr) ? file_.attr_double("f32", attr) : 0.0;
}

namespace {
// max |ours - ref| and max |ref| over a dataset (the elements flagged in `where`, if given), or a
// note when the shapes differ.
Comparison measure(const data::H5File& file, const std::string& dataset, const Tensor& ours,
                   const std::vector<bool>* where = nullptr) {
  Comparison c;
  c.name = dataset;
  Shape shape;
  const std::vector<double> ref = file.read_f64(dataset, &shape);
  if (shape != ours.shape()) {
    c.note = "shape " + shape_str(ours.shape()) + ", expected " + shape_str(shape);
    c.max_abs = INFINITY;
    return c;
  }
  const Tensor o = ours.contiguous();
  if (where && where->size() != ref.size()) throw std::logic_error(dataset + ": the element mask has the wrong size");
  for (size_t i = 0; i < ref.size(); ++i) {
    if (where && !(*where)[i]) continue;
    const double d = std::fabs(double(o.data()[i]) - ref[i]);
    c.max_abs = std::isnan(d) ? INFINITY : std::max(c.max_abs, d);
    c.max_ref = std::max(c.max_ref, std::fabs(ref[i]));
  }
  return c;
}
constexpr double kKinkDisagreement = 1e-3;
}  // namespace

void FixtureCase::compare_f32(const std::string& dataset, const Tensor& ours) {
  Comparison c = measure(file_, "f32/" + dataset, ours);
  c.tol = 1e-4 * (1.0 + c.max_ref);
  c.pass = c.note.empty() && c.max_abs <= c.tol;
  c.note += " (float32 reference: PyTorch's float32 and float64 runs disagree here)";
  results_.push_back(c);
}

void FixtureCase::compare(const std::string& dataset, const Tensor& ours, double tol_factor, double noise_floor) {
  Comparison c = measure(file_, dataset, ours);
  const double floor = std::max(f32_floor(dataset), noise_floor);
  c.tol = tol_factor * floor + 1e-6 * (1.0 + c.max_ref);
  c.pass = c.note.empty() && c.max_abs <= c.tol;
  if (floor > f32_floor(dataset)) c.note += " (float32 noise floor measured by the checker)";
  results_.push_back(c);
}

void FixtureCase::compare_where(const std::string& dataset, const Tensor& ours, const std::vector<bool>& where,
                                const std::string& note) {
  Comparison c = measure(file_, dataset, ours, &where);
  // The file's f32 floor is a maximum over all elements, the left-out ones included; the floor of the
  // compared ones is measured from the float32 run itself.
  double floor = f32_floor(dataset);
  if (file_.exists("f32/" + dataset))
    floor = measure(file_, dataset, file_.read_tensor("f32/" + dataset), &where).max_abs;
  c.tol = 10.0 * floor + 1e-6 * (1.0 + c.max_ref);
  c.pass = c.note.empty() && c.max_abs <= c.tol;
  c.note += note;
  results_.push_back(c);
}

void FixtureCase::output(const std::string& name, const ag::Variable& ours) {
  compare("outputs/" + name, ours.value());
  if (ours.requires_grad() && file_.exists("grad_outputs/" + name)) {
    roots_.push_back(ours);
    seeds_.push_back(file_.read_tensor("grad_outputs/" + name).reshape(ours.shape()));
  }
}

void FixtureCase::output_index(const std::string& name, const std::vector<int64_t>& ours) {
  Comparison c;
  c.name = "outputs/" + name;
  Shape shape;
  const std::vector<int64_t> ref = file_.read_i64("outputs/" + name, &shape);
  if (ref.size() != ours.size()) {
    c.note = std::to_string(ours.size()) + " indices, expected " + std::to_string(ref.size());
  } else {
    int64_t wrong = 0;
    for (size_t i = 0; i < ref.size(); ++i) wrong += ref[i] != ours[i];
    c.max_abs = static_cast<double>(wrong);
    c.pass = wrong == 0;
    if (wrong) c.note = std::to_string(wrong) + " of " + std::to_string(ref.size()) + " indices differ";
  }
  results_.push_back(c);
}

std::vector<Comparison> FixtureCase::finish() {
  if (!roots_.empty()) ag::backward(roots_, seeds_);
  for (const std::string& name : grad_wrt_) {
    auto it = std::find_if(leaves_.begin(), leaves_.end(), [&](const auto& l) { return l.first == name; });
    if (it == leaves_.end()) {
      Comparison c;
      c.name = "grads/" + name;
      c.note = "the checker never loaded '" + name + "'";
      results_.push_back(c);
      continue;
    }
    const ag::Variable& v = it->second;
    const Tensor grad = v.has_grad() ? v.grad() : Tensor::zeros(v.shape());
    const std::string dataset = "grads/" + name;
    if (f32_floor(dataset) > kKinkDisagreement && file_.exists("f32/" + dataset))
      compare_f32(dataset, grad);
    else
      compare(dataset, grad);
  }
  return results_;
}

}  // namespace gs::tools
