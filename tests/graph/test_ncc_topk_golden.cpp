// inter_edges / intra_edges against the PyTorch reference's golden files (../shared/fixtures):
// edges must be equal, scores within 1e-5 of the float64 reference.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "data/hdf5_file.h"
#include "graph/ncc_topk.h"
#include "graph/ncc_reference.h"
#include "shared_path.h"

using gs::Tensor;
using gs::graph::Edges;
using gs::graph::Metric;

namespace {

using gs::data::H5File;

std::vector<int32_t> as_int32(const std::vector<int64_t>& v) { return std::vector<int32_t>(v.begin(), v.end()); }

// Image n of an [N,C,H,W] float64 dataset (float32-representable) as a [C,H,W] tensor.
Tensor image(const H5File& f, const char* name, int64_t n) {
  const gs::Shape d = f.shape(name);
  const std::vector<double> all = f.read_f64(name);
  const size_t size = d[1] * d[2] * d[3];
  std::vector<float> values(all.begin() + n * size, all.begin() + (n + 1) * size);
  return Tensor({static_cast<int64_t>(d[1]), static_cast<int64_t>(d[2]), static_cast<int64_t>(d[3])}, values);
}

// Compares image n's edges with outputs/edges [N,Nc,k], and their scores with `scores` [N,Nc,k]
// (one score per edge) or, for score_matrix, [N,Nc,M] (the score of every candidate).
void check_edges(const H5File& f, const Edges& e, int64_t n, int64_t ranked, const char* scores, bool score_matrix) {
  const gs::Shape d = f.shape("outputs/edges");
  const std::vector<int64_t> edges = f.read_i64("outputs/edges");
  const std::vector<double> ref_scores = f.read_f64(scores);
  const int64_t nodes = static_cast<int64_t>(d[1]), k = static_cast<int64_t>(d[2]);
  const int64_t cols = static_cast<int64_t>(f.shape(scores)[2]);
  REQUIRE(e.nodes == nodes);
  REQUIRE(e.k == k);
  for (int64_t i = 0; i < nodes; ++i)
    for (int64_t m = 0; m < k; ++m) {
      CAPTURE(n);
      CAPTURE(i);
      CAPTURE(m);
      const int64_t ref = edges[(n * nodes + i) * k + m];
      CHECK(e.source(i, m) == ref);
      if (m >= ranked) continue;
      const double want = ref_scores[(n * nodes + i) * cols + (score_matrix ? ref : m)];
      CHECK(std::abs(e.score_of(i, m) - want) <= 1e-5 * std::max(1.0, std::abs(want)));
    }
}

void check_inter_file(const char* file, Metric metric) {
  const std::string path = gs::test::shared_file(std::string("fixtures/") + file);
  if (path.empty()) return;
  const H5File f = H5File::open_golden(path);
  const int p = static_cast<int>(f.attr_int("/", "p")), k = static_cast<int>(f.attr_int("/", "k"));
  for (int64_t n = 0; n < f.shape("inputs/fc")[0]; ++n) {
    const Edges e = gs::graph::inter_edges(image(f, "inputs/fc", n), image(f, "inputs/fs", n), p, k, metric);
    check_edges(f, e, n, k, "outputs/edge_scores", false);
  }
}

}  // namespace

TEST_CASE("ncc_topk golden: ncc_topk.h5 (random maps, p=3, k=4, N=2)") { check_inter_file("ncc_topk.h5", Metric::ncc); }

TEST_CASE("ncc_topk golden: ncc_topk_ties.h5 (periodic style, constant content patches)") {
  check_inter_file("ncc_topk_ties.h5", Metric::ncc);
}

TEST_CASE("ncc_topk golden: knn_euclidean.h5 (duplicated style patches)") {
  check_inter_file("knn_euclidean.h5", Metric::euclidean);
}

TEST_CASE("ncc_topk golden: intra_topk.h5 (kc=3 + self-loop, duplicated content rows)") {
  const std::string path = gs::test::shared_file("fixtures/intra_topk.h5");
  if (path.empty()) return;
  const H5File f = H5File::open_golden(path);
  const int p = static_cast<int>(f.attr_int("/", "p")), kc = static_cast<int>(f.attr_int("/", "kc"));
  for (int64_t n = 0; n < f.shape("inputs/fc")[0]; ++n) {
    const Edges e = gs::graph::intra_edges(image(f, "inputs/fc", n), p, kc);
    check_edges(f, e, n, kc + 1, "outputs/scores", true);  // outputs/scores: the full NCC matrix
  }
}

namespace {

// Same edge set per node as `ref` [1,Nc,k]; the same order too where the reference's smallest gap
// between consecutive ranks (min_gap [1,Nc]) is clear of float32 rounding.
void check_edge_sets(const Edges& e, int64_t ranked, const std::vector<int32_t>& ref, const std::vector<double>& min_gap) {
  int64_t reordered = 0;
  for (int64_t i = 0; i < e.nodes; ++i) {
    CAPTURE(i);
    std::vector<int32_t> ours(e.sources(i), e.sources(i) + ranked), want(&ref[i * e.k], &ref[i * e.k] + ranked);
    if (min_gap[i] > 1e-5) CHECK(ours == want);
    reordered += ours != want;
    std::sort(ours.begin(), ours.end());
    std::sort(want.begin(), want.end());
    CHECK(ours == want);
  }
  MESSAGE(reordered << " of " << e.nodes << " nodes list the same edges in another order (near-equal scores)");
}

}  // namespace

TEST_CASE("ncc_topk golden: e2e relu4_1 maps 512x32x32 (chicago / starry night, p=5, k=5, kc=5)") {
  const std::string path = gs::test::shared_file("fixtures/e2e/chicago_starry_night_256/gnn_k5_kc5_p5.h5");
  if (path.empty()) return;
  const std::string dir = path.substr(0, path.rfind('/'));
  const H5File f = H5File::open_golden(path);
  const int p = static_cast<int>(f.attr_int("/", "p")), k = static_cast<int>(f.attr_int("/", "k"));
  const int kc = static_cast<int>(f.attr_int("/", "kc"));
  const Tensor fc = gs::test::e2e_map(dir, "Fc"), fs = gs::test::e2e_map(dir, "Fs");
  REQUIRE(fc.size(0) == 512);

  const Edges inter = gs::graph::inter_edges(fc, fs, p, k);
  check_edge_sets(inter, k, as_int32(f.read_i64("outputs/edges_f64")),
                  f.read_f64("outputs/edge_min_gap_f64"));
  // outputs/scores come from PyTorch's float32 run, ~2.4e-5 off the exact NCC here (D = 12800):
  // compare with the exact NCC of each edge instead.
  for (int64_t i = 0; i < inter.nodes; ++i)
    for (int64_t m = 0; m < k; ++m) CHECK(std::abs(inter.score_of(i, m) - gs::test::ncc_f64(fc, i, fs, inter.source(i, m), p)) <= 1e-5);

  const Edges intra = gs::graph::intra_edges(fc, p, kc);
  check_edge_sets(intra, kc + 1, as_int32(f.read_i64("outputs/intra")),
                  f.read_f64("outputs/intra_min_gap_f64"));
  for (int64_t i = 0; i < intra.nodes; ++i)
    for (int64_t m = 0; m < kc; ++m) CHECK(std::abs(intra.score_of(i, m) - gs::test::ncc_f64(fc, i, fc, intra.source(i, m), p)) <= 1e-5);
}
