#include "server/graph_json.h"

namespace gs::server {

namespace {
nlohmann::json edges(const graphstyle::GraphEdges& e) {
  return {{"k", e.k}, {"edges", e.sources}, {"scores", e.scores}, {"attention", e.attention}};
}
}  // namespace

nlohmann::json graph_json(const graphstyle::GraphData& g, int style_width, int style_height) {
  nlohmann::json j = {
      {"p", g.p},
      {"k", g.k},
      {"kc", g.kc},
      {"stroke", g.stroke},
      {"deformable", g.deformable},
      {"aggregator", g.aggregator},
      {"metric", g.metric},
      {"stride", 8},  // image pixels per relu4_1 cell
      {"content", {{"width", g.content_width}, {"height", g.content_height}}},
      {"style", {{"width", style_width}, {"height", style_height}}},
      {"grid", {{"width", g.grid_width}, {"height", g.grid_height}}},
      {"style_grid", {{"width", g.style_grid_width}, {"height", g.style_grid_height}}},
      {"nodes", {{"content_yx", g.content_yx}, {"style_yx", g.style_yx}}},
      {"inter", edges(g.inter)},
      {"scales", {{"s", g.scales}}},
  };
  if (g.intra.k) j["intra"] = edges(g.intra);
  if (!g.scale_map.empty()) j["scales"]["S"] = g.scale_map;
  return j;
}

std::string base64(const std::vector<uint8_t>& bytes) {
  static const char* kDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const uint32_t n = uint32_t{bytes[i]} << 16 | (i + 1 < bytes.size() ? uint32_t{bytes[i + 1]} << 8 : 0) |
                       (i + 2 < bytes.size() ? bytes[i + 2] : 0);
    out += kDigits[n >> 18 & 63];
    out += kDigits[n >> 12 & 63];
    out += i + 1 < bytes.size() ? kDigits[n >> 6 & 63] : '=';
    out += i + 2 < bytes.size() ? kDigits[n & 63] : '=';
  }
  return out;
}

}  // namespace gs::server
