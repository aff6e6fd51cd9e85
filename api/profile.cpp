// graphstyle::Profile: the public view of autograd/profiler.h's table.
#include "graphstyle/profile.hpp"

#include <algorithm>

#include "api/model_impl.h"

namespace graphstyle {

Profile::Profile() : impl_(std::make_unique<Impl>()) {}
Profile::~Profile() = default;
Profile::Profile(const Profile& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
Profile& Profile::operator=(const Profile& other) {
  *impl_ = *other.impl_;
  return *this;
}
Profile::Impl& Profile::impl() { return *impl_; }

std::vector<Profile::Op> Profile::ops() const {
  const gs::ag::Profile& p = impl_->profile;
  const double total = p.total_s();
  std::vector<Op> out;
  auto add = [&](const char* name, const gs::ag::OpStats& s) {
    if (s.calls == 0) return;
    const double t = s.forward_s + s.backward_s;
    out.push_back({name, s.calls, s.forward_s, s.backward_s, total > 0 ? t / total : 0,
                   s.flops > 0 && t > 0 ? s.flops / t * 1e-9 : 0});
  };
  for (size_t i = 0; i < p.ops.size(); ++i) add(gs::ag::kOps[i].name, p.ops[i]);
  for (size_t i = 0; i < p.inference.size(); ++i) add(gs::ag::kernel_name(static_cast<gs::ag::Kernel>(i)), p.inference[i]);
  std::stable_sort(out.begin(), out.end(),
                   [](const Op& a, const Op& b) { return a.forward_s + a.backward_s > b.forward_s + b.backward_s; });
  return out;
}

std::vector<Profile::Stage> Profile::stages() const {
  double all = 0;
  for (const auto& [name, seconds] : impl_->profile.stages) all += seconds;
  std::vector<Stage> out;
  for (const auto& [name, seconds] : impl_->profile.stages) out.push_back({name, seconds, all > 0 ? seconds / all : 0});
  return out;
}

std::vector<Profile::Kernel> Profile::kernels() const {
  std::vector<Kernel> out;
  for (const auto& [name, runs] : impl_->profile.kernels) out.push_back({name, runs});
  return out;
}

double Profile::total_s() const { return impl_->profile.total_s(); }
bool Profile::empty() const { return impl_->profile.empty(); }
void Profile::clear() { impl_->profile = gs::ag::Profile{}; }
std::string Profile::table() const { return impl_->profile.table(); }

}  // namespace graphstyle
