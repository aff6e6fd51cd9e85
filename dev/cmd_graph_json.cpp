// graphstyle-dev graph-json DUMP.h5: a graph dump (graphstyle stylize --dump-graph) printed as the
// JSON of POST /v1/graph (server/graph_json.cpp; arrays flattened row by row), read back from the
// HDF5 file independently of the server's path, for the test that the two agree.
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/hdf5_file.h"

namespace gs::tools {

int run_graph_json(const std::vector<std::string>& args) {
  if (args.size() != 1 || args[0] == "--help")
    throw std::invalid_argument("usage: graphstyle-dev graph-json DUMP.h5");
  const data::H5File f = data::H5File::open_read(args[0]);
  const auto floats = [&](const std::string& name) { return f.read_tensor(name).to_vector(); };
  const auto edges = [&](const std::string& group) {
    Shape shape;
    const std::vector<int64_t> e = f.read_i64(group + "/edges", &shape);
    return nlohmann::json{{"k", shape.at(1)}, {"edges", e}, {"scores", floats(group + "/scores")},
                          {"attention", floats(group + "/attention")}};
  };
  nlohmann::json j = {
      {"p", f.attr_int("/", "p")},
      {"k", f.attr_int("/", "k")},
      {"kc", f.attr_int("/", "kc")},
      {"stroke", static_cast<float>(f.attr_double("/", "stroke"))},
      {"deformable", f.attr_int("/", "deformable") != 0},
      {"aggregator", f.attr_string("/", "aggregator")},
      {"metric", f.attr_string("/", "metric")},
      {"nodes", {{"content_yx", f.read_i64("nodes/content_yx")}, {"style_yx", f.read_i64("nodes/style_yx")}}},
      {"inter", edges("inter")},
      {"scales", {{"s", floats("scales/s")}}},
  };
  if (f.exists("intra/edges")) j["intra"] = edges("intra");
  if (f.exists("scales/S")) j["scales"]["S"] = floats("scales/S");
  std::printf("%s\n", j.dump().c_str());
  return 0;
}

}  // namespace gs::tools
