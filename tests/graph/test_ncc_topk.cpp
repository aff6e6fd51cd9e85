// inter_edges / intra_edges against a brute-force reference written here: explicit unfold, NCC and
// squared distances in double precision, stable sort (equal scores: smaller index first).
#include "graph/ncc_topk.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <vector>

#include <doctest/doctest.h>

using gs::Rng;
using gs::Tensor;
using gs::graph::Blocking;
using gs::graph::Edges;
using gs::graph::Metric;

namespace {

using Patches = std::vector<std::vector<double>>;  // [N][D], d = c*p*p + ky*p + kx (torch unfold)
using Matrix = std::vector<std::vector<double>>;   // [Nc][Ns] scores

Patches unfold(const Tensor& f, int p) {
  const int64_t C = f.size(0), H = f.size(1), W = f.size(2), gh = H - p + 1, gw = W - p + 1;
  Patches out(gh * gw, std::vector<double>(C * p * p));
  for (int64_t oy = 0; oy < gh; ++oy)
    for (int64_t ox = 0; ox < gw; ++ox)
      for (int64_t c = 0; c < C; ++c)
        for (int ky = 0; ky < p; ++ky)
          for (int kx = 0; kx < p; ++kx) out[oy * gw + ox][(c * p + ky) * p + kx] = f.at({c, oy + ky, ox + kx});
  return out;
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t d = 0; d < a.size(); ++d) s += a[d] * b[d];
  return s;
}

// MODEL.md 2.2: z = x - mean(x), z / (|z| + 1e-8), then dot products.
Matrix ncc_matrix(const Patches& a, const Patches& b) {
  auto normalise = [](Patches P) {
    for (auto& x : P) {
      double mean = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
      for (double& v : x) v -= mean;
      double norm = std::sqrt(dot(x, x)) + 1e-8;
      for (double& v : x) v /= norm;
    }
    return P;
  };
  const Patches na = normalise(a), nb = normalise(b);
  Matrix m(a.size(), std::vector<double>(b.size()));
  for (size_t i = 0; i < a.size(); ++i)
    for (size_t j = 0; j < b.size(); ++j) m[i][j] = dot(na[i], nb[j]);
  return m;
}

Matrix sqdist_matrix(const Patches& a, const Patches& b) {
  Matrix m(a.size(), std::vector<double>(b.size()));
  for (size_t i = 0; i < a.size(); ++i)
    for (size_t j = 0; j < b.size(); ++j) m[i][j] = std::max(0.0, dot(a[i], a[i]) + dot(b[j], b[j]) - 2 * dot(a[i], b[j]));
  return m;
}

// Candidates of one row, best first; equal scores keep the smaller index first (stable sort).
std::vector<int32_t> ranking(const std::vector<double>& row, bool largest, int32_t exclude) {
  std::vector<int32_t> order;
  for (int32_t j = 0; j < static_cast<int32_t>(row.size()); ++j)
    if (j != exclude) order.push_back(j);
  std::stable_sort(order.begin(), order.end(),
                   [&](int32_t a, int32_t b) { return largest ? row[a] > row[b] : row[a] < row[b]; });
  return order;
}

// Checks the first `ranked` columns of every row against the reference. exact: indices must equal
// the reference's everywhere (inputs built so that only exact ties are close). Otherwise a rank
// whose score is within tol of a neighbouring rank may hold either candidate, as long as its
// reference score is right (float32 rounding may legitimately swap near-equal candidates).
void check_rows(const Edges& e, const Matrix& full, int64_t ranked, bool largest, bool exact, bool skip_self) {
  REQUIRE(e.nodes == static_cast<int64_t>(full.size()));
  for (int64_t i = 0; i < e.nodes; ++i) {
    const auto& row = full[i];
    const std::vector<int32_t> order = ranking(row, largest, skip_self ? static_cast<int32_t>(i) : -1);
    std::set<int32_t> seen;
    for (int64_t m = 0; m < ranked; ++m) {
      const int32_t ours = e.source(i, m), ref = order[m];
      const double tol = 1e-5 * std::max(1.0, std::abs(row[ref]));
      CAPTURE(i);
      CAPTURE(m);
      REQUIRE(ours >= 0);
      REQUIRE(ours < static_cast<int32_t>(row.size()));
      CHECK(seen.insert(ours).second);
      CHECK(ours != (skip_self ? i : -1));
      CHECK(std::abs(e.score_of(i, m) - row[ref]) <= tol);
      CHECK(std::abs(row[ours] - row[ref]) <= tol);
      const bool clear_above = m == 0 || std::abs(row[order[m - 1]] - row[ref]) > tol;
      const bool clear_below = m + 1 >= static_cast<int64_t>(order.size()) || std::abs(row[order[m + 1]] - row[ref]) > tol;
      if (exact || (clear_above && clear_below)) CHECK(ours == ref);
    }
  }
}

void check_inter(const Tensor& fc, const Tensor& fs, int p, int k, Metric metric, const Blocking& blocking,
                 bool exact) {
  const Patches pc = unfold(fc, p), ps = unfold(fs, p);
  const Matrix full = metric == Metric::ncc ? ncc_matrix(pc, ps) : sqdist_matrix(pc, ps);
  const Edges e = gs::graph::inter_edges(fc, fs, p, k, metric, blocking);
  CHECK(e.k == k);
  check_rows(e, full, k, metric == Metric::ncc, exact, false);
}

void check_intra(const Tensor& fc, int p, int kc, const Blocking& blocking, bool exact) {
  const Patches pc = unfold(fc, p);
  const Matrix full = ncc_matrix(pc, pc);
  const Edges e = gs::graph::intra_edges(fc, p, kc, blocking);
  REQUIRE(e.k == kc + 1);
  check_rows(e, full, kc, true, exact, true);
  for (int64_t i = 0; i < e.nodes; ++i) {
    CHECK(e.source(i, kc) == i);  // the self-loop comes last
    CHECK(std::abs(e.score_of(i, kc) - full[i][i]) <= 1e-5);
  }
}

Tensor relu(Tensor t) {
  for (int64_t n = 0; n < t.numel(); ++n) t.data()[n] = std::max(0.f, t.data()[n]);
  return t;
}

// Fills f[:, y0:y1, x0:x1] with one value: every patch inside is constant (NCC 0 with all patches).
void constant_block(Tensor& f, int64_t y0, int64_t y1, int64_t x0, int64_t x1, float value) {
  for (int64_t c = 0; c < f.size(0); ++c)
    for (int64_t y = y0; y < y1; ++y)
      for (int64_t x = x0; x < x1; ++x) f.set({c, y, x}, value);
}

// f[c, y, x] = base[c, y % py, x % px]: patches whose corners agree modulo (py, px) are identical.
Tensor periodic(int64_t C, int64_t H, int64_t W, int64_t py, int64_t px, Rng& rng) {
  const Tensor base = Tensor::randn({C, py, px}, rng);
  Tensor f({C, H, W});
  for (int64_t c = 0; c < C; ++c)
    for (int64_t y = 0; y < H; ++y)
      for (int64_t x = 0; x < W; ++x) f.set({c, y, x}, base.at({c, y % py, x % px}));
  return f;
}

struct Sizes {
  int64_t C, Hc, Wc, Hs, Ws;
};
const Sizes kSizes[] = {{8, 9, 11, 10, 7}, {16, 13, 12, 11, 14}, {3, 8, 8, 9, 10}, {32, 17, 9, 7, 18}};
// Automatic, and small bands/chunks so that every band, chunk and ring boundary is crossed.
const Blocking kBlockings[] = {{}, {1, 1}, {2, 3}, {3, 2}};

}  // namespace

TEST_CASE("ncc_topk: inter edges match the brute-force reference on random maps") {
  Rng rng(7);
  int case_index = 0;
  for (const Sizes& s : kSizes)
    for (int p : {1, 3, 5, 7}) {
      Tensor fc = Tensor::randn({s.C, s.Hc, s.Wc}, rng), fs = Tensor::randn({s.C, s.Hs, s.Ws}, rng);
      if (case_index++ % 2) fc = relu(fc), fs = relu(fs);  // relu-like: many zeros, positive means
      for (int k : {1, 5})
        for (Metric metric : {Metric::ncc, Metric::euclidean})
          for (const Blocking& b : kBlockings) {
            CAPTURE(s.C);
            CAPTURE(s.Hc);
            CAPTURE(p);
            CAPTURE(k);
            CAPTURE(static_cast<int>(metric));
            CAPTURE(b.band_rows);
            CAPTURE(b.chunk_rows);
            check_inter(fc, fs, p, std::min<int>(k, (s.Hs - p + 1) * (s.Ws - p + 1)), metric, b, false);
          }
    }
}

TEST_CASE("ncc_topk: intra edges match the brute-force reference on random maps") {
  Rng rng(11);
  for (const Sizes& s : kSizes)
    for (int p : {1, 3, 5, 7}) {
      const Tensor fc = Tensor::randn({s.C, s.Hc, s.Wc}, rng);
      for (int kc : {1, 5})
        for (const Blocking& b : kBlockings) {
          CAPTURE(s.C);
          CAPTURE(p);
          CAPTURE(kc);
          CAPTURE(b.band_rows);
          CAPTURE(b.chunk_rows);
          check_intra(fc, p, std::min<int>(kc, (s.Hc - p + 1) * (s.Wc - p + 1) - 1), b, false);
        }
    }
}

TEST_CASE("ncc_topk: exact ties (identical style patches, constant patches) keep the smaller index first") {
  Rng rng(3);
  Tensor fc = Tensor::randn({4, 11, 13}, rng);
  constant_block(fc, 2, 8, 3, 9, 0.25f);         // constant content patches: NCC 0 with every style patch
  Tensor fs = periodic(4, 14, 17, 3, 4, rng);    // style patch j equals every patch 3 rows / 4 columns away
  constant_block(fs, 9, 14, 0, 6, -0.5f);        // and a few constant style patches
  for (int p : {1, 3, 5})
    for (int k : {1, 5, 16})
      for (const Blocking& b : kBlockings) {
        CAPTURE(p);
        CAPTURE(k);
        CAPTURE(b.band_rows);
        CAPTURE(b.chunk_rows);
        check_inter(fc, fs, p, k, Metric::ncc, b, true);
        check_inter(fc, fs, p, k, Metric::euclidean, b, true);
      }
  // A constant content patch gets the first k style nodes, all with NCC exactly 0.
  const Edges e = gs::graph::inter_edges(fc, fs, 3, 5, Metric::ncc);
  const int64_t i = 3 * (13 - 3 + 1) + 4;  // corner (3, 4) lies inside the constant block
  for (int m = 0; m < 5; ++m) {
    CHECK(e.source(i, m) == m);
    CHECK(e.score_of(i, m) == 0.f);
  }
}

TEST_CASE("ncc_topk: intra edges with duplicated content rows and constant patches") {
  Rng rng(5);
  // Content rows repeat every 4 rows, then constant bottom rows. Avoided on purpose: a period that
  // divides p, or a constant block with periodic rows beside it; both make distinct patches with
  // equal NCC in exact arithmetic (sums of the same products in another order): rounding decides.
  Tensor fc = periodic(5, 13, 10, 4, 10, rng);
  constant_block(fc, 8, 13, 0, 10, 1.5f);
  for (int p : {1, 3, 5})
    for (int kc : {1, 3, 5})
      for (const Blocking& b : {Blocking{}, Blocking{1, 1}, Blocking{2, 1}, Blocking{1, 3}, Blocking{4, 2}}) {
        CAPTURE(p);
        CAPTURE(kc);
        CAPTURE(b.band_rows);
        CAPTURE(b.chunk_rows);
        check_intra(fc, p, kc, b, true);
      }
}

TEST_CASE("ncc_topk: results do not depend on the number of threads") {
  Rng rng(9);
  const Tensor fc = relu(Tensor::randn({24, 15, 13}, rng)), fs = relu(Tensor::randn({24, 12, 16}, rng));
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  const Edges inter1 = gs::graph::inter_edges(fc, fs, 3, 5, Metric::ncc), intra1 = gs::graph::intra_edges(fc, 3, 5);
  omp_set_num_threads(2);
  const Edges inter2 = gs::graph::inter_edges(fc, fs, 3, 5, Metric::ncc), intra2 = gs::graph::intra_edges(fc, 3, 5);
  omp_set_num_threads(threads);
  CHECK(inter1.index == inter2.index);
  CHECK(intra1.index == intra2.index);
  for (size_t n = 0; n < inter1.score.size(); ++n) CHECK(inter1.score[n] == doctest::Approx(inter2.score[n]).epsilon(1e-6));
}

TEST_CASE("ncc_topk: maps may be views of a batch or non-contiguous") {
  Rng rng(13);
  const Tensor batch = Tensor::randn({2, 6, 9, 8}, rng);         // [N,C,H,W]
  const Tensor fc = batch.select(0, 1);                            // a view into the batch
  const Tensor fs = Tensor::randn({6, 10, 9}, rng).transpose(1, 2);  // [6,9,10], non-contiguous
  const Edges a = gs::graph::inter_edges(fc, fs, 3, 5), b = gs::graph::inter_edges(fc.clone(), fs.clone(), 3, 5);
  CHECK(a.index == b.index);
  CHECK(a.score == b.score);
  CHECK(gs::graph::intra_edges(fc, 3, 4).index == gs::graph::intra_edges(fc.clone(), 3, 4).index);
}

TEST_CASE("ncc_topk: invalid arguments name the offending values") {
  Rng rng(1);
  const Tensor fc = Tensor::randn({4, 6, 7}, rng), fs = Tensor::randn({4, 5, 6}, rng);  // p=3: Nc 20, Ns 12
  using gs::graph::inter_edges;
  using gs::graph::intra_edges;
  CHECK_THROWS_WITH_AS(inter_edges(fc, fs, 4, 1), doctest::Contains("p=4 must be odd"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(intra_edges(fc, 2, 1), doctest::Contains("p=2 must be odd"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(inter_edges(fc, fs, 7, 1), doctest::Contains("6x7 is smaller than the patch size p=7"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(inter_edges(fc, Tensor::randn({4, 3, 9}, rng), 5, 1),
                       doctest::Contains("style map fs 3x9 is smaller than the patch size p=5"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(inter_edges(fc, fs, 3, 13), doctest::Contains("k=13 must be in 1..12"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(inter_edges(fc, fs, 3, 0), doctest::Contains("k=0 must be in 1..12"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(intra_edges(fc, 3, 20), doctest::Contains("kc=20 must be in 1..19"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(intra_edges(fc, 3, 0), doctest::Contains("kc=0 must be in 1..19"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(inter_edges(fc, Tensor::randn({3, 5, 6}, rng), 3, 1),
                       doctest::Contains("fc has 4 channels but style map fs has 3"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(inter_edges(Tensor::randn({1, 4, 6, 7}, rng), fs, 3, 1),
                       doctest::Contains("[C,H,W]"), std::invalid_argument);
  Tensor bad = fs.clone();
  bad.set({1, 2, 3}, std::nanf(""));
  CHECK_THROWS_WITH_AS(inter_edges(fc, bad, 3, 1), doctest::Contains("style map fs contains NaN"), std::invalid_argument);
  // k = Ns and kc = Nc - 1 are allowed: every node ranked.
  CHECK(inter_edges(fc, fs, 3, 12).k == 12);
  CHECK(intra_edges(fc, 3, 19).k == 20);
}
