#include "train/checkpoint.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "data/atomic_file.h"
#include "data/hdf5_file.h"

namespace gs::train {

namespace {
// One string attribute, a line "name=value" per setting: readable with h5dump, no attribute listing needed.
std::string join_settings(const RunSettings& settings) {
  std::string text;
  for (const auto& [name, value] : settings) {
    if (name.find_first_of("=\n") != std::string::npos || value.find('\n') != std::string::npos)
      throw std::invalid_argument("checkpoint setting '" + name + "' holds '=' or a line break");
    text += name + "=" + value + "\n";
  }
  return text;
}

RunSettings split_settings(const std::string& text) {
  RunSettings settings;
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = std::min(text.find('\n', at), text.size());
    const std::string line = text.substr(at, end - at);
    const size_t eq = line.find('=');
    if (eq != std::string::npos) settings.push_back({line.substr(0, eq), line.substr(eq + 1)});
    at = end + 1;
  }
  return settings;
}
}  // namespace

void save_checkpoint(const std::string& path, const Checkpoint& ck) {
  data::AtomicFile out(path);
  {
    data::H5File f = data::H5File::create(out.temp_path());
    data::write_model(f, ck.model.config, ck.model.params);
    f.set_attr("/", "checkpoint", int64_t{1});
    f.set_attr("/", "step", ck.state.step);
    f.set_attr("/", "content_position", ck.state.content_position);
    f.set_attr("/", "style_position", ck.state.style_position);
    // uint64 seeds do not fit an int64 attribute's range in general; keep the bits as a string.
    f.set_attr("/", "seed", std::to_string(ck.state.seed));
    if (!ck.settings.empty()) f.set_attr("/", "settings", join_settings(ck.settings));
    for (const auto& [name, t] : ck.adam_m) f.write_tensor("optimizer/m/" + name, t);
    for (const auto& [name, t] : ck.adam_v) f.write_tensor("optimizer/v/" + name, t);
    f.flush();
  }
  out.commit();
}

namespace {
int64_t counter_attr(const data::H5File& f, const char* name) {
  const int64_t v = f.attr_int("/", name);
  if (v < 0) throw std::runtime_error(f.path() + ": attribute '" + name + "' is " + std::to_string(v) + ", expected >= 0");
  return v;
}
}  // namespace

Checkpoint load_checkpoint(const std::string& path) {
  data::H5File f = data::H5File::open_read(path);
  if (!f.has_attr("/", "checkpoint"))
    throw std::runtime_error(path + ": a model file, not a training checkpoint (nothing to resume)");
  Checkpoint ck;
  ck.model = data::read_model(f);
  ck.state.step = counter_attr(f, "step");
  ck.state.content_position = counter_attr(f, "content_position");
  ck.state.style_position = counter_attr(f, "style_position");
  const std::string seed = f.attr_string("/", "seed");
  size_t used = 0;
  try {
    if (seed.empty() || seed[0] == '-') throw std::invalid_argument("sign");
    ck.state.seed = std::stoull(seed, &used);
  } catch (const std::logic_error&) {
    used = 0;
  }
  if (used == 0 || used != seed.size())
    throw std::runtime_error(path + ": attribute 'seed' is '" + seed.substr(0, 40) + "', expected an unsigned 64-bit number");
  if (f.has_attr("/", "settings")) ck.settings = split_settings(f.attr_string("/", "settings"));
  // The moments belong to the model's parameters: names and shapes are checked before reading.
  std::map<std::string, Shape> param_shapes;
  for (const auto& [name, t] : ck.model.params) param_shapes[name] = t.shape();
  for (const char* which : {"m", "v"}) {
    const std::string group = std::string("optimizer/") + which;
    if (!f.exists(group)) continue;
    auto& into = which[0] == 'm' ? ck.adam_m : ck.adam_v;
    for (const std::string& name : f.members(group)) {
      const std::string dataset = group + "/" + name;
      auto it = param_shapes.find(name);
      if (it == param_shapes.end())
        throw std::runtime_error(path + ": " + dataset + " belongs to no parameter of the model");
      if (f.dtype(dataset) != "float32" || f.shape(dataset) != it->second)
        throw std::runtime_error(path + ": " + dataset + " is " + f.dtype(dataset) + " " + shape_str(f.shape(dataset)) +
                                 ", expected float32 " + shape_str(it->second));
      Tensor t = f.read_tensor(dataset);
      data::check_finite(path, dataset, t);
      if (which[0] == 'v')
        for (int64_t i = 0; i < t.numel(); ++i)
          if (t.data()[i] < 0)
            throw std::runtime_error(path + ": " + dataset + " holds a negative second moment at element " +
                                     std::to_string(i));
      into.push_back({name, std::move(t)});
    }
  }
  if (ck.adam_m.size() != ck.adam_v.size())
    throw std::runtime_error(path + ": optimizer state is incomplete (first and second moments differ in count)");
  for (size_t i = 0; i < ck.adam_m.size(); ++i)
    if (ck.adam_m[i].first != ck.adam_v[i].first)
      throw std::runtime_error(path + ": optimizer state is inconsistent: moment m of '" + ck.adam_m[i].first +
                               "' but v of '" + ck.adam_v[i].first + "'");
  return ck;
}

}  // namespace gs::train
