#include "nn/module.h"

#include <stdexcept>

namespace gs::nn {

ag::Variable& Module::add_parameter(const std::string& name, Tensor init) {
  if (find(name)) throw std::logic_error("parameter '" + name + "' registered twice");
  params_.push_back({name, ag::Variable(std::move(init), true)});
  return params_.back().var;
}

const Parameter* Module::find(const std::string& name) const {
  for (const Parameter& p : params_)
    if (p.name == name) return &p;
  return nullptr;
}

bool Module::has(const std::string& name) const { return find(name) != nullptr; }

const ag::Variable& Module::get(const std::string& name) const {
  if (const Parameter* p = find(name)) return p->var;
  std::string known;
  for (const Parameter& p : params_) known += (known.empty() ? "" : ", ") + p.name;
  throw std::out_of_range("no parameter named '" + name + "' (the model has: " + known + ")");
}

ag::Variable& Module::get(const std::string& name) {
  return const_cast<ag::Variable&>(static_cast<const Module&>(*this).get(name));
}

void Module::set(const std::string& name, const Tensor& value) {
  ag::Variable& v = get(name);
  if (v.shape() != value.shape())
    throw std::invalid_argument("parameter '" + name + "' has shape " + shape_str(v.shape()) + ", the value has " +
                                shape_str(value.shape()));
  v.value() = value.contiguous().clone();
}

std::vector<std::string> Module::names() const {
  std::vector<std::string> out;
  for (const Parameter& p : params_) out.push_back(p.name);
  return out;
}

std::vector<ag::Variable> Module::trainable() const {
  std::vector<ag::Variable> out;
  for (const Parameter& p : params_)
    if (p.var.requires_grad()) out.push_back(p.var);
  return out;
}

void Module::set_trainable(const std::string& prefix, bool on) {
  for (Parameter& p : params_)
    if (p.name.compare(0, prefix.size(), prefix) == 0) p.var.set_requires_grad(on);
}

void Module::zero_grad() {
  for (Parameter& p : params_) p.var.zero_grad();
}

}  // namespace gs::nn
