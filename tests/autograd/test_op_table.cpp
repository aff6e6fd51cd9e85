#include "autograd/op_table.h"

#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

TEST_CASE("op table: names are unique and each row's file records that op") {
  std::set<std::string> names;
  for (const gs::ag::OpInfo& op : gs::ag::kOps) {
    CAPTURE(op.name);
    CHECK(names.insert(op.name).second);
    std::ifstream in(std::string(GRAPHSTYLE_SOURCE_DIR) + "/" + op.file);
    REQUIRE(in.good());
    std::stringstream text;
    text << in.rdbuf();
    // make_output(Op::name, ...) or make_output(ag::Op::name, ...): the file really makes this op.
    CHECK(text.str().find("Op::" + std::string(op.name)) != std::string::npos);
  }
  CHECK(std::string(gs::ag::op_info(gs::ag::Op::conv2d).name) == "conv2d");
}
