// Inter-domain edges that lean towards the previous frame's (graph/sticky_edges.h).
#include "graph/sticky_edges.h"

#include <doctest/doctest.h>

#include <cmath>

#include "graph/ncc_topk.h"

TEST_CASE("sticky edges: edge_ncc scores an edge as the k-NN does") {
  gs::Rng rng(5);
  const gs::Tensor fc = gs::Tensor::randn({6, 9, 8}, rng), fs = gs::Tensor::randn({6, 7, 10}, rng);
  const gs::graph::Edges e = gs::graph::inter_edges(fc, fs, 3, 4);
  const std::vector<float> ncc = gs::graph::edge_ncc(fc, fs, 3, e);
  REQUIRE(ncc.size() == e.score.size());
  for (size_t i = 0; i < ncc.size(); ++i) CHECK(ncc[i] == doctest::Approx(e.score[i]).epsilon(1e-4));
}

TEST_CASE("sticky edges: no bonus is the plain k-NN; a large bonus keeps the previous edges; changed_share counts") {
  gs::Rng rng(6);
  const gs::Tensor fs = gs::Tensor::randn({6, 7, 10}, rng);
  const gs::Tensor f1 = gs::Tensor::randn({6, 9, 8}, rng);
  gs::Tensor f2 = f1.clone();  // the next frame: the same with some noise
  for (int64_t i = 0; i < f2.numel(); ++i) f2.data()[i] += 0.4f * gs::Tensor::randn({1}, rng).data()[0];
  const gs::graph::Edges e1 = gs::graph::inter_edges(f1, fs, 3, 4), plain2 = gs::graph::inter_edges(f2, fs, 3, 4);
  const gs::graph::Edges none = gs::graph::sticky_inter_edges(f2, fs, 3, 4, &e1, 0.f);
  CHECK(none.index == plain2.index);
  const gs::graph::Edges all = gs::graph::sticky_inter_edges(f2, fs, 3, 4, &e1, 2.f);  // NCC is in [-1, 1]
  CHECK(gs::graph::changed_share(all, e1) == 0.0);
  const double independent = gs::graph::changed_share(plain2, e1);
  CHECK(independent > 0.1);  // the noise changes edges
  const gs::graph::Edges some = gs::graph::sticky_inter_edges(f2, fs, 3, 4, &e1, 0.05f);
  CHECK(gs::graph::changed_share(some, e1) < independent);
  // Scores stay NCC: a kept edge's score is its NCC in this frame.
  const std::vector<float> ncc = gs::graph::edge_ncc(f2, fs, 3, some);
  for (size_t i = 0; i < ncc.size(); ++i) CHECK(ncc[i] == doctest::Approx(some.score[i]).epsilon(1e-4));
  CHECK(gs::graph::changed_share(e1, e1) == 0.0);
}
