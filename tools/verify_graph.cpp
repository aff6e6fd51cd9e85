// Golden-file checkers for the graph stage (graph/): each computes a fixture's op with our code.
#include "tools/fixture_case.h"

namespace gs::tools {

std::vector<FixtureChecker> graph_fixture_checkers() { return {}; }

}  // namespace gs::tools
