// compare_models A.h5 B.h5 TOLERANCE: exit 0 when the two model files hold the same parameter names
// and shapes and no value differs by more than TOLERANCE; prints the largest difference either way.
// (The data-parallel test, tests/train/train_mpi.sh, compares a 2-rank run's model with 1 process's.)
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "data/model_file.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: compare_models A.h5 B.h5 TOLERANCE\n");
    return 2;
  }
  try {
    const gs::data::ModelFile a = gs::data::load_model_file(argv[1]), b = gs::data::load_model_file(argv[2]);
    const double tolerance = std::atof(argv[3]);
    if (a.params.size() != b.params.size()) {
      std::printf("different parameter counts: %zu and %zu\n", a.params.size(), b.params.size());
      return 1;
    }
    double worst = 0;
    std::string where;
    for (size_t i = 0; i < a.params.size(); ++i) {
      const auto& [name, x] = a.params[i];
      const gs::Tensor& y = b.params[i].second;
      if (name != b.params[i].first || x.shape() != y.shape()) {
        std::printf("parameter %zu differs: %s and %s\n", i, name.c_str(), b.params[i].first.c_str());
        return 1;
      }
      const gs::Tensor cx = x.contiguous(), cy = y.contiguous();
      for (int64_t k = 0; k < cx.numel(); ++k) {
        const double d = std::fabs(double(cx.data()[k]) - double(cy.data()[k]));
        if (!(d <= worst)) worst = d, where = name;  // NaN counts as worst
      }
    }
    std::printf("largest parameter difference %.3g (%s), tolerance %.3g\n", worst, where.c_str(), tolerance);
    return worst <= tolerance ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "compare_models: %s\n", e.what());
    return 2;
  }
}
