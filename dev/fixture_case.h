// One golden file of ../shared/fixtures, seen from the code under test: its inputs and parameters
// as Variables (requiring grad where the file lists them in `grad_wrt`), the outputs we computed,
// and the comparison of outputs and gradients with PyTorch's float64 values.
//
// Tolerance, per compared tensor: tol = 10 * d32 + 1e-6 * (1 + max|ref|), where d32 is the file's
// own f32/max_abs_diff (how far PyTorch's float32 run lands from its float64 run). Our float32 code
// differs from PyTorch's in summation order, so it gets a small multiple of that floor; the second
// term covers exact ops (d32 = 0) where only the float64 -> float32 rounding of the result remains.
//
// Where PyTorch's own float32 and float64 runs disagree by more than 1e-3 on a gradient, the two
// took a kink on different sides (graph_stage_init: s = 1 exactly in float32, 1 - 6e-10 in float64,
// fixtures/README.md), and the float32 run is the reference: tol = 1e-4 * (1 + max|ref|), room for
// float32 summation-order differences over sums of ~1e3 terms.
#pragma once
#include <string>
#include <vector>

#include "autograd/variable.h"
#include "data/hdf5_file.h"

namespace gs::tools {

struct Comparison {
  std::string name;  // "outputs/y", "grads/w"
  double max_abs = 0, max_ref = 0, tol = 0;
  bool pass = false;
  std::string note;
};

class FixtureCase {
 public:
  explicit FixtureCase(const std::string& path);
  const data::H5File& file() const { return file_; }
  std::string op() const { return file_.attr_string("/", "op"); }
  bool has_option(const std::string& name) const { return file_.has_attr("/", name); }
  double option(const std::string& name) const { return file_.attr_double("/", name); }
  std::string option_string(const std::string& name) const { return file_.attr_string("/", name); }

  ag::Variable input(const std::string& name) { return load("inputs/" + name, name); }
  ag::Variable param(const std::string& name) { return load("params/" + name, name); }
  std::vector<int64_t> index_input(const std::string& name, Shape* shape = nullptr) const {
    return file_.read_i64("inputs/" + name, shape);
  }

  // Our value of outputs/<name>; seeded with grad_outputs/<name> when the file has one.
  void output(const std::string& name, const ag::Variable& ours);
  // Integer outputs (edges) must match exactly.
  void output_index(const std::string& name, const std::vector<int64_t>& ours);
  // A gradient we computed some other way than through a registered input (rare). `noise_floor`
  // replaces d32 when larger: a checker that measured the float32 noise of a value itself.
  void compare(const std::string& dataset, const Tensor& ours, double tol_factor = 10.0, double noise_floor = 0.0);
  // Against the file's float32 run (f32/<dataset>), for values at a kink; see the header comment.
  void compare_f32(const std::string& dataset, const Tensor& ours);
  // Like compare, over the elements where `where` is true only (one flag per element); the caller
  // says in `note` why the others are left out and checks them some other way. The f32 floor is
  // measured over the compared elements (from f32/<dataset> when the file has it).
  void compare_where(const std::string& dataset, const Tensor& ours, const std::vector<bool>& where,
                     const std::string& note);
  // A comparison the checker made itself (a bound rather than a reference value).
  void record(Comparison comparison) { results_.push_back(std::move(comparison)); }

  // Runs backward once over all seeded outputs and compares every gradient in grad_wrt.
  std::vector<Comparison> finish();

 private:
  ag::Variable load(const std::string& dataset, const std::string& name);
  double f32_floor(const std::string& dataset) const;
  data::H5File file_;
  std::vector<std::string> grad_wrt_;
  std::vector<std::pair<std::string, ag::Variable>> leaves_;
  std::vector<ag::Variable> roots_;
  std::vector<Tensor> seeds_;
  std::vector<Comparison> results_;
};

// A checker computes a fixture's op with our code: it reads inputs, records outputs.
struct FixtureChecker {
  const char* op;
  void (*run)(FixtureCase& fixture);
};
std::vector<FixtureChecker> nn_fixture_checkers();     // tools/verify_nn.cpp
std::vector<FixtureChecker> graph_fixture_checkers();  // tools/verify_graph.cpp
std::vector<FixtureChecker> train_fixture_checkers();  // tools/verify_train.cpp

}  // namespace gs::tools
