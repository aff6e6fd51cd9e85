// Module: a named set of parameters. Every parameter carries its canonical name (MODEL.md 5,
// e.g. "decoder.dec4_1.weight"), which is also its name in model files and checkpoints; a module
// can list, freeze and set its parameters by name.
#pragma once
#include <string>
#include <vector>

#include "autograd/variable.h"

namespace gs::nn {

struct Parameter {
  std::string name;
  ag::Variable var;  // requires_grad == trainable
};

class Module {
 public:
  // Registers a trainable parameter; names are unique.
  ag::Variable& add_parameter(const std::string& name, Tensor init);

  bool has(const std::string& name) const;
  const ag::Variable& get(const std::string& name) const;  // errors list the known names
  ag::Variable& get(const std::string& name);
  // Replaces the value; the shape must match exactly (the error names both shapes).
  void set(const std::string& name, const Tensor& value);

  std::vector<std::string> names() const;
  std::vector<Parameter>& parameters() { return params_; }
  const std::vector<Parameter>& parameters() const { return params_; }
  std::vector<ag::Variable> trainable() const;

  // Freezes (or thaws) every parameter whose name starts with `prefix` ("" = all).
  void set_trainable(const std::string& prefix, bool on);
  void zero_grad();

 private:
  const Parameter* find(const std::string& name) const;
  std::vector<Parameter> params_;
};

}  // namespace gs::nn
