#include "autograd/to_dot.h"

#include <sstream>
#include <unordered_map>

namespace gs::ag {

namespace {

// DOT strings are double-quoted; a user's name may hold quotes or backslashes.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string to_dot(const Variable& root, const std::vector<std::pair<std::string, Variable>>& names) {
  return to_dot(std::vector<Variable>{root}, names);
}

std::string to_dot(const std::vector<Variable>& roots, const std::vector<std::pair<std::string, Variable>>& names) {
  std::unordered_map<const void*, std::string> name_of;
  for (const auto& [name, v] : names)
    if (v.defined()) name_of[v.id()] = name;

  // Inputs before the ops that read them (post-order), iteratively: training graphs are deep.
  std::vector<Variable> order;
  std::unordered_map<const void*, int> number;
  for (const Variable& root : roots) {
    if (!root.defined() || number.count(root.id())) continue;
    std::vector<std::pair<Variable, size_t>> stack{{root, 0}};
    number[root.id()] = -1;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next < node.inputs().size()) {
        const Variable& child = node.inputs()[next++];
        if (child.defined() && number.emplace(child.id(), -1).second) stack.push_back({child, 0});
      } else {
        number[node.id()] = static_cast<int>(order.size());
        order.push_back(node);
        stack.pop_back();
      }
    }
  }

  std::ostringstream dot;
  dot << "digraph autograd {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=11];\n"
         "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  for (const Variable& v : order) {
    const int n = number[v.id()];
    const bool is_op = !v.inputs().empty();
    auto named = name_of.find(v.id());
    std::string label = named != name_of.end() ? named->second : is_op ? op_info(v.op()).name : "tensor";
    if (named != name_of.end() && is_op) label += " = " + std::string(op_info(v.op()).name);
    label += "\n" + shape_str(v.shape());
    if (!is_op && v.requires_grad()) label += "\nrequires grad";
    dot << "  n" << n << " [label=" << quoted(label);
    if (is_op)
      dot << ", shape=ellipse";
    else if (v.requires_grad())
      dot << ", shape=box, style=filled, fillcolor=lightblue";
    else
      dot << ", shape=box";
    dot << "];\n";
  }
  for (const Variable& v : order) {
    const auto& inputs = v.inputs();
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (!inputs[i].defined()) continue;
      dot << "  n" << number[inputs[i].id()] << " -> n" << number[v.id()];
      if (inputs.size() > 1) dot << " [label=\"" << i << "\"]";
      dot << ";\n";
    }
  }
  dot << "}\n";
  return dot.str();
}

}  // namespace gs::ag
