#include "tools/evaluate/triples.h"

#include <doctest/doctest.h>

#include <fstream>

#include "data/test_files.h"

using namespace gs;

namespace {
std::string write(const test::TempDir& dir, const std::string& text) {
  const std::string path = dir.file("t.csv");
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST_CASE("split_csv_line: plain and quoted fields") {
  CHECK(tools::split_csv_line("a, b ,c") == std::vector<std::string>{"a", "b", "c"});
  CHECK(tools::split_csv_line("\"x,y\",\"say \"\"hi\"\"\",") == std::vector<std::string>{"x,y", "say \"hi\"", ""});
  CHECK_THROWS_AS(tools::split_csv_line("\"open"), std::invalid_argument);
}

TEST_CASE("read_triples: header, comments, relative paths, default method") {
  test::TempDir dir;
  const std::string path = write(dir, "content,style,output,method\n# a comment\n\nc.jpg,s.jpg,o.png,gnn\n/abs/c.jpg,s.jpg,o2.png\n");
  const auto t = tools::read_triples(path);
  REQUIRE(t.size() == 2);
  CHECK(t[0].content == dir.file("c.jpg"));
  CHECK(t[0].output == dir.file("o.png"));
  CHECK(t[0].method == "gnn");
  CHECK(t[0].line == 4);
  CHECK(t[1].content == "/abs/c.jpg");
  CHECK(t[1].method == "output");
}

TEST_CASE("read_triples: errors name the file and line") {
  test::TempDir dir;
  CHECK_THROWS_WITH(tools::read_triples(write(dir, "c.jpg,s.jpg,o.png\nc.jpg,s.jpg\n")),
                    doctest::Contains("t.csv line 2: expected content,style,output[,method], got 2 fields"));
  CHECK_THROWS_WITH(tools::read_triples(write(dir, "c.jpg,,o.png\n")), doctest::Contains("line 1: the style path is empty"));
  CHECK_THROWS_WITH(tools::read_triples(write(dir, "# nothing\n")), doctest::Contains("no triples"));
  CHECK_THROWS_WITH(tools::read_triples(dir.file("missing.csv")), doctest::Contains("missing.csv: no such file"));
}
