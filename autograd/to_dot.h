// The recorded autograd graph as Graphviz DOT, for a person to look at (`dot -Tsvg graph.dot`).
//
// Leaves are boxes (filled when they require a gradient, so the optimiser will see one), ops are
// ellipses labelled with the op's name (the "name" given to make_output) and its output's shape.
// Edges run from an input to the op that read it, numbered when the op has several inputs (the
// order matters: sub, div, conv2d's x, w, bias). Call it before backward(), which frees the graph.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "autograd/variable.h"

namespace gs::ag {

// `names` labels some variables (usually the leaves: "x", "w"); the others are labelled by op.
std::string to_dot(const Variable& root, const std::vector<std::pair<std::string, Variable>>& names = {});
// Several graphs in one drawing (a training step's stages, cut apart by leaves).
std::string to_dot(const std::vector<Variable>& roots, const std::vector<std::pair<std::string, Variable>>& names = {});

}  // namespace gs::ag
