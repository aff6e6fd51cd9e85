#include "tools/evaluate/report.h"

#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "data/test_files.h"

using namespace gs;

namespace {
std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<tools::Result> sample() {
  return {{"c1.jpg", "s1.jpg", "gnn", "", graphstyle::QualityMetrics{1, 2, 3, 0.25, 0.5, 0.75}},
          {"c1.jpg", "s1.jpg", "adain", "o,1.png", graphstyle::QualityMetrics{2, 2, 2, 0.5, 0.5, 0.5}},
          {"c2.jpg", "s1.jpg", "gnn", "", graphstyle::QualityMetrics{3, 4, 5, 0.75, 0.25, 0.25}}};
}
}  // namespace

TEST_CASE("summarize: the mean per method, in order of first appearance") {
  const auto s = tools::summarize(sample());
  REQUIRE(s.size() == 2);
  CHECK(s[0].method == "gnn");
  CHECK(s[0].count == 2);
  CHECK(s[0].mean.content_relu4_1 == 2.0);
  CHECK(s[0].mean.style == 4.0);
  CHECK(s[0].mean.local_relu3_1 == 0.5);
  CHECK(s[0].mean.ssim == 0.5);
  CHECK(s[1].method == "adain");
  CHECK(s[1].count == 1);
  const std::string table = tools::summary_table(s);
  CHECK(table.find("content_relu4_1") != std::string::npos);
  CHECK(table.find("adain") != std::string::npos);
}

TEST_CASE("write_csv and write_json: a header, one row per result, the summary") {
  test::TempDir dir;
  tools::write_csv(dir.file("r.csv"), sample());
  const std::string csv = read(dir.file("r.csv"));
  CHECK(csv.rfind("content,style,method,output,content_relu4_1,content_relu3_1,style,local_relu3_1,local_relu4_1,ssim\n", 0) == 0);
  CHECK(csv.find("c1.jpg,s1.jpg,adain,\"o,1.png\",2,2,2,0.5,0.5,0.5\n") != std::string::npos);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 4);

  tools::write_summary_csv(dir.file("s.csv"), tools::summarize(sample()));
  CHECK(read(dir.file("s.csv")) ==
        "method,count,content_relu4_1,content_relu3_1,style,local_relu3_1,local_relu4_1,ssim\n"
        "gnn,2,2,3,4,0.5,0.375,0.5\nadain,1,2,2,2,0.5,0.5,0.5\n");

  tools::write_json(dir.file("r.json"), sample(), {{"size", "256"}, {"model gnn", "m.h5 (k 5)"}});
  const auto j = nlohmann::json::parse(read(dir.file("r.json")));
  CHECK(j["settings"]["size"] == "256");
  CHECK(j["settings"]["model gnn"] == "m.h5 (k 5)");
  CHECK(j["results"].size() == 3);
  CHECK(j["results"][2]["content"] == "c2.jpg");
  CHECK(j["results"][2]["style"].get<double>() == 5.0);
  CHECK(j["summary"][0]["method"] == "gnn");
  CHECK(j["summary"][0]["content_relu4_1"].get<double>() == 2.0);
  CHECK(j["metrics"].size() == graphstyle::QualityMetrics::count);
}

TEST_CASE("write_csv: an unwritable path is an error naming it") {
  CHECK_THROWS_WITH(tools::write_csv("/nonexistent-dir/r.csv", sample()), doctest::Contains("/nonexistent-dir"));
}
