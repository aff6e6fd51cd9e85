// POST /v1/graph's answer: the graph of one stylization (graphstyle::GraphData) as JSON, in the
// layout of the stylize command's graph dump (same names; arrays flattened row by row), plus the
// image sizes and the stylized image, for the explorer page.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <graphstyle/graphstyle.hpp>
#include <nlohmann/json.hpp>

namespace gs::server {

nlohmann::json graph_json(const graphstyle::GraphData& graph, int style_width, int style_height);
std::string base64(const std::vector<uint8_t>& bytes);

}  // namespace gs::server
