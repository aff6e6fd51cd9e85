// The names of the public option enums (graphstyle/options.hpp). Kept apart from the model so that
// front ends that only parse options (the service's form, its fuzz target) need nothing else.
#include <iterator>

#include "graphstyle/error.hpp"
#include "graphstyle/options.hpp"

namespace graphstyle {

// In the enum's order; api/model.cpp checks that the graph layer's enum has the same order.
static const char* const aggregator_names[] = {"gat", "mean", "gin", "edgeconv", "sage"};

const char* to_string(Aggregator a) { return aggregator_names[static_cast<int>(a)]; }

Aggregator parse_aggregator(const std::string& name, const std::string& field) {
  for (int i = 0; i < static_cast<int>(std::size(aggregator_names)); ++i)
    if (name == aggregator_names[i]) return static_cast<Aggregator>(i);
  throw OptionError(field, field + " '" + name + "': expected gat, mean, gin, edgeconv or sage");
}

}  // namespace graphstyle
