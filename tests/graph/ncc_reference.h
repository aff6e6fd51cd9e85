// Shared by the k-NN tests: the e2e relu4_1 maps of ../shared/fixtures and the NCC of two patches
// in double precision (MODEL.md 2.2).
#pragma once
#include <cmath>
#include <string>
#include <vector>

#include "data/hdf5_file.h"
#include "tensor/tensor.h"

namespace gs::test {

// e2e relu4_1 maps [512,32,32], stored as 8 files of 64 channels: parts <stem>.part<i>.h5, dataset <stem>.
inline Tensor e2e_map(const std::string& dir, const char* stem) {
  std::vector<float> values;
  Shape d;
  for (int part = 0; part < 8; ++part) {
    const data::H5File f = data::H5File::open_golden(dir + "/" + stem + ".part" + std::to_string(part) + ".h5");
    d = f.shape(stem);
    const std::vector<float> v = f.read_tensor(stem).to_vector();
    values.insert(values.end(), v.begin(), v.end());
  }
  const int64_t C = static_cast<int64_t>(values.size() / (d[2] * d[3]));
  return Tensor({C, static_cast<int64_t>(d[2]), static_cast<int64_t>(d[3])}, values);
}

// NCC of patch i of a and patch j of b in double precision (MODEL.md 2.2).
inline double ncc_f64(const Tensor& a, int64_t i, const Tensor& b, int64_t j, int p) {
  const int64_t C = a.size(0), gwa = a.size(2) - p + 1, gwb = b.size(2) - p + 1;
  const int64_t ay = i / gwa, ax = i % gwa, by = j / gwb, bx = j % gwb;
  std::vector<double> x, y;
  for (int64_t c = 0; c < C; ++c)
    for (int ky = 0; ky < p; ++ky)
      for (int kx = 0; kx < p; ++kx) {
        x.push_back(a.at({c, ay + ky, ax + kx}));
        y.push_back(b.at({c, by + ky, bx + kx}));
      }
  double mx = 0, my = 0, xx = 0, yy = 0, xy = 0;
  for (size_t d = 0; d < x.size(); ++d) mx += x[d], my += y[d];
  mx /= static_cast<double>(x.size());
  my /= static_cast<double>(y.size());
  for (size_t d = 0; d < x.size(); ++d) {
    xx += (x[d] - mx) * (x[d] - mx);
    yy += (y[d] - my) * (y[d] - my);
    xy += (x[d] - mx) * (y[d] - my);
  }
  return xy / ((std::sqrt(xx) + 1e-8) * (std::sqrt(yy) + 1e-8));
}

}  // namespace gs::test
