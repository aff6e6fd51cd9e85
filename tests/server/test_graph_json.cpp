// The graph's JSON (the --dump-graph names, arrays row by row) and the base64 of the image in it.
#include "server/graph_json.h"

#include <doctest/doctest.h>

TEST_CASE("graph json: the dump's names and arrays; intra and S only when the stage had them") {
  graphstyle::GraphData g;
  g.p = 3;
  g.k = 2;
  g.kc = 0;
  g.aggregator = "gat";
  g.metric = "ncc";
  g.content_width = 40;
  g.grid_width = 5;
  g.content_yx = {1, 1, 1, 2};
  g.style_yx = {1, 1};
  g.inter = {2, {0, 0, 0, 0}, {0.5f, 0.25f, 0.5f, 0.125f}, {0.6f, 0.4f, 0.7f, 0.3f}};
  g.scales = {1.f, 2.f};
  nlohmann::json j = gs::server::graph_json(g, 32, 24);
  CHECK(j["p"] == 3);
  CHECK(j["inter"]["k"] == 2);
  CHECK(j["inter"]["attention"][3] == 0.3f);
  CHECK(j["nodes"]["content_yx"].size() == 4u);
  CHECK(j["style"]["width"] == 32);
  CHECK(j["stride"] == 8);
  CHECK(!j.contains("intra"));
  CHECK(!j["scales"].contains("S"));
  g.intra = {1, {1, 0}, {0.9f, 0.8f}, {1.f, 1.f}};
  g.scale_map = std::vector<float>(20, 1.f);
  j = gs::server::graph_json(g, 32, 24);
  CHECK(j["intra"]["edges"][0] == 1);
  CHECK(j["scales"]["S"].size() == 20u);
}

TEST_CASE("graph json: base64 (RFC 4648 test vectors)") {
  const auto b64 = [](const std::string& s) { return gs::server::base64(std::vector<uint8_t>(s.begin(), s.end())); };
  CHECK(b64("") == "");
  CHECK(b64("f") == "Zg==");
  CHECK(b64("fo") == "Zm8=");
  CHECK(b64("foo") == "Zm9v");
  CHECK(b64("foob") == "Zm9vYg==");
  CHECK(b64("fooba") == "Zm9vYmE=");
  CHECK(b64("foobar") == "Zm9vYmFy");
}
