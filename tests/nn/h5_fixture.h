// Reading the golden files in ../shared/fixtures in tests: float64 datasets such as
// inputs/x, params/w, outputs/y, grad_outputs/y, grads/x, and the float attributes of f32/
// (max_abs_diff/<group>/<name>, the float32-vs-float64 difference of PyTorch).
#pragma once
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "data/hdf5_file.h"
#include "tensor/tensor.h"

namespace gs::test {

// A float64 array as stored (the reference values are compared in double).
struct Array64 {
  Shape shape;
  std::vector<double> values;
};

// A golden file, read through the project's HDF5 wrapper.
class H5Fixture {
 public:
  explicit H5Fixture(const std::string& path) : file_(data::H5File::open_golden(path)) {}
  bool has(const std::string& name) const { return file_.exists(name); }
  Array64 array(const std::string& name) const {
    Array64 a;
    a.values = file_.read_f64(name, &a.shape);
    return a;
  }
  // Inputs and parameters are float32-representable, so the cast is lossless.
  Tensor tensor(const std::string& name) const { return file_.read_tensor(name); }
  // A float64 attribute of an object, e.g. attr("f32", "max_abs_diff/outputs/y").
  double attr(const std::string& object, const std::string& name) const { return file_.attr_double(object, name); }

 private:
  data::H5File file_;
};

// max |ours - ref| over all elements; the shapes must match.
inline double max_abs_error(const Tensor& ours, const Array64& ref) {
  if (ours.shape() != ref.shape)
    throw std::invalid_argument("shape " + shape_str(ours.shape()) + " vs reference " + shape_str(ref.shape));
  std::vector<float> v = ours.to_vector();
  double m = 0;
  for (size_t i = 0; i < v.size(); ++i) m = std::max(m, std::abs(static_cast<double>(v[i]) - ref.values[i]));
  return m;
}

// Compares our float32 result with the float64 reference `name` (e.g. "outputs/y", "grads/w").
// Tolerance: 5x what PyTorch's own float32 run is off by (the f32/ attribute max_abs_diff/<name>):
// another float32 implementation sums in another order, and a factor of a few covers that (seen:
// up to 2.6x, on the stride-2 conv); plus 1e-7 (1 + max|ref|), one float32 rounding of the result,
// for ops that PyTorch computes exactly (pooling, nearest upsampling: difference 0).
inline double check_fixture(const H5Fixture& f, const std::string& name, const Tensor& ours) {
  const double f32_diff = f.attr("f32", "max_abs_diff/" + name);
  const Array64 ref = f.array(name);
  double max_ref = 0;
  for (double v : ref.values) max_ref = std::max(max_ref, std::abs(v));
  const double tol = 5 * f32_diff + 1e-7 * (1 + max_ref);
  const double err = max_abs_error(ours, ref);
  MESSAGE(name << ": max abs error " << err << " (PyTorch float32: " << f32_diff << ", tolerance " << tol << ")");
  CHECK_MESSAGE(err <= tol, name << ": max abs error " << err << " > tolerance " << tol);
  return err;
}

}  // namespace gs::test
