#include <doctest/doctest.h>

#include "graph/edge_list.h"

namespace graph = gs::graph;

namespace {
struct ImageEdges {  // the shape of the k-NN's per-image output
  int64_t nodes = 0, k = 0;
  std::vector<int32_t> index;
  std::vector<float> score;
};
}  // namespace

TEST_CASE("graph edge list: from int64 arrays and from per-image lists") {
  const graph::EdgeList a = graph::edge_list_from_i64({0, 3, 2, 1, 1, 0}, {1, 3, 2});
  CHECK(a.shape() == gs::Shape{1, 3, 2});
  CHECK(a.index == std::vector<int32_t>{0, 3, 2, 1, 1, 0});
  CHECK_THROWS_WITH_AS(graph::edge_list_from_i64({0, 1}, {1, 3, 2}), doctest::Contains("[1, 3, 2]"),
                       std::invalid_argument);
  CHECK_THROWS_AS(graph::edge_list_from_i64({-1}, {1, 1, 1}), std::out_of_range);

  const graph::EdgeList b = graph::stack_edges(std::vector<ImageEdges>{{2, 1, {4, 5}, {}}, {2, 1, {6, 7}, {}}});
  CHECK(b.shape() == gs::Shape{2, 2, 1});
  CHECK(b.image(1)[0] == 6);
  CHECK_THROWS_WITH_AS(graph::stack_edges(std::vector<ImageEdges>{{2, 1, {4, 5}, {}}, {1, 2, {6, 7}, {}}}),
                       doctest::Contains("image 1"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(graph::check_edges(a, 1, 3, 3, "test"), doctest::Contains("node 3"), std::out_of_range);
  CHECK_THROWS_WITH_AS(graph::check_edges(a, 2, 3, 4, "test"), doctest::Contains("do not fit 2 images"),
                       std::invalid_argument);
}
