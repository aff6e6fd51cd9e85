#include "autograd/to_dot.h"

#include <doctest/doctest.h>

#include "autograd/ops.h"
#include "nn/conv2d.h"

using gs::Tensor;
using gs::ag::Variable;

TEST_CASE("to_dot: y = relu(conv(x, w) + b) draws every op, shape and which leaves need gradients") {
  Variable x(Tensor::zeros({1, 1, 4, 4}), false);
  Variable w(Tensor::zeros({2, 1, 3, 3}), true);
  Variable b(Tensor::zeros({1, 2, 1, 1}), true);
  Variable y = gs::ag::relu(gs::ag::add(gs::nn::conv2d(x, w), b));
  const std::string dot = gs::ag::to_dot(y, {{"x", x}, {"w", w}, {"b", b}, {"y", y}});
  CHECK(dot ==
        "digraph autograd {\n"
        "  rankdir=LR;\n"
        "  node [fontname=\"Helvetica\", fontsize=11];\n"
        "  edge [fontname=\"Helvetica\", fontsize=9];\n"
        "  n0 [label=\"x\n[1, 1, 4, 4]\", shape=box];\n"
        "  n1 [label=\"w\n[2, 1, 3, 3]\nrequires grad\", shape=box, style=filled, fillcolor=lightblue];\n"
        "  n2 [label=\"conv2d\n[1, 2, 2, 2]\", shape=ellipse];\n"
        "  n3 [label=\"b\n[1, 2, 1, 1]\nrequires grad\", shape=box, style=filled, fillcolor=lightblue];\n"
        "  n4 [label=\"add\n[1, 2, 2, 2]\", shape=ellipse];\n"
        "  n5 [label=\"y = relu\n[1, 2, 2, 2]\", shape=ellipse];\n"
        "  n0 -> n2 [label=\"0\"];\n"
        "  n1 -> n2 [label=\"1\"];\n"
        "  n2 -> n4 [label=\"0\"];\n"
        "  n3 -> n4 [label=\"1\"];\n"
        "  n4 -> n5;\n"
        "}\n");
}

TEST_CASE("to_dot: a graph with nothing to differentiate is one box; backward() frees the graph") {
  Variable x(Tensor::zeros({3}), false);
  CHECK(gs::ag::to_dot(gs::ag::relu(x)).find("n0 [label=\"tensor\n[3]\", shape=box];") != std::string::npos);
  Variable w(Tensor({2}, {1, 2}), true);
  Variable loss = gs::ag::sum(gs::ag::mul(w, w));
  CHECK(gs::ag::to_dot(loss).find("-> n") != std::string::npos);
  loss.backward();
  CHECK(gs::ag::to_dot(loss).find("-> n") == std::string::npos);
}

TEST_CASE("to_dot: names are quoted for DOT") {
  Variable w(Tensor::zeros({1}), true);
  CHECK(gs::ag::to_dot(w, {{"a \"b\"\\", w}}).find("label=\"a \\\"b\\\"\\\\\n[1]") != std::string::npos);
}
