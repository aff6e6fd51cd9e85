// A tiny reader for the golden files in ../shared/fixtures (HDF5 C API): float64 datasets such as
// inputs/x, params/w, outputs/y, grad_outputs/y, grads/x, and the float attributes of f32/
// (max_abs_diff/<group>/<name>, the float32-vs-float64 difference of PyTorch).
#pragma once
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <hdf5.h>

#include "tensor/tensor.h"

namespace gs::test {

// A float64 array as stored (the reference values are compared in double).
struct Array64 {
  Shape shape;
  std::vector<double> values;
};

class H5Fixture {
 public:
  explicit H5Fixture(const std::string& path) : path_(path) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions below, not stderr noise
    file_ = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file_ < 0) throw std::runtime_error("cannot open HDF5 file " + path);
  }
  ~H5Fixture() { H5Fclose(file_); }
  H5Fixture(const H5Fixture&) = delete;
  H5Fixture& operator=(const H5Fixture&) = delete;

  bool has(const std::string& name) const { return H5Lexists(file_, name.c_str(), H5P_DEFAULT) > 0; }

  Array64 array(const std::string& name) const {
    hid_t ds = H5Dopen2(file_, name.c_str(), H5P_DEFAULT);
    if (ds < 0) throw std::runtime_error(path_ + ": no dataset " + name);
    hid_t space = H5Dget_space(ds);
    int rank = H5Sget_simple_extent_ndims(space);
    std::vector<hsize_t> dims(rank > 0 ? rank : 0);
    H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    Array64 a;
    for (hsize_t d : dims) a.shape.push_back(static_cast<int64_t>(d));
    a.values.resize(shape_numel(a.shape));
    herr_t status = H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, a.values.data());
    H5Sclose(space);
    H5Dclose(ds);
    if (status < 0) throw std::runtime_error(path_ + ": cannot read " + name + " as float64");
    return a;
  }

  // Inputs and parameters are float32-representable, so the cast is lossless.
  Tensor tensor(const std::string& name) const {
    Array64 a = array(name);
    return Tensor(a.shape, std::vector<float>(a.values.begin(), a.values.end()));
  }

  // A float64 attribute of an object, e.g. attr("f32", "max_abs_diff/outputs/y").
  double attr(const std::string& object, const std::string& name) const {
    hid_t at = H5Aopen_by_name(file_, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT);
    if (at < 0) throw std::runtime_error(path_ + ": no attribute " + object + "@" + name);
    double v = 0;
    herr_t status = H5Aread(at, H5T_NATIVE_DOUBLE, &v);
    H5Aclose(at);
    if (status < 0) throw std::runtime_error(path_ + ": cannot read attribute " + name);
    return v;
  }

 private:
  std::string path_;
  hid_t file_;
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
