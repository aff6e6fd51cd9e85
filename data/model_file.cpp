#include "data/model_file.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "data/atomic_file.h"
#include "data/hdf5_file.h"

namespace gs::data {

namespace {
const char* kFormat = "graphstyle-model";
}

void check_parameters(const NamedTensors& params, const models::ParameterShapes& expected, const std::string& source) {
  std::map<std::string, const Tensor*> have;
  for (const auto& [name, t] : params) have[name] = &t;
  std::string missing, extra, wrong;
  for (const auto& [name, shape] : expected) {
    auto it = have.find(name);
    if (it == have.end()) {
      missing += (missing.empty() ? "" : ", ") + name;
    } else if (it->second->shape() != shape) {
      wrong += (wrong.empty() ? "" : "; ") + name + " is " + shape_str(it->second->shape()) + ", expected " +
               shape_str(shape);
    }
  }
  for (const auto& [name, t] : params)
    if (std::none_of(expected.begin(), expected.end(), [&](const auto& e) { return e.first == name; }))
      extra += (extra.empty() ? "" : ", ") + name;
  std::string msg;
  if (!missing.empty()) msg += "missing " + missing + ". ";
  if (!wrong.empty()) msg += "wrong shape: " + wrong + ". ";
  if (!extra.empty()) msg += "unexpected " + extra + ". ";
  if (!msg.empty()) throw std::runtime_error(source + ": " + msg.substr(0, msg.size() - 1));
}

void write_model(H5File& f, const models::ModelConfig& c, const NamedTensors& params) {
  check_parameters(params, models::parameter_shapes(c), "model to save as " + f.path());
  {
    f.set_attr("/", "format", std::string(kFormat));
    f.set_attr("/", "format_version", kModelFormatVersion);
    f.set_attr("/", "encoder_layout", models::to_string(c.encoder));
    f.set_attr("/", "upsample", models::to_string(c.upsample));
    f.set_attr("/", "patch", int64_t{c.patch});
    f.set_attr("/", "d", c.d);
    f.set_attr("/", "scale_hidden", c.scale_hidden);
    f.set_attr("/", "s_min", double{c.s_min});
    f.set_attr("/", "s_max", double{c.s_max});
    std::vector<int64_t> widths(c.widths.begin(), c.widths.end());
    f.write_i64("config/widths", {4}, widths);
    for (const auto& [name, t] : params) f.write_tensor("params/" + name, t);
  }
}

void save_model_file(const std::string& path, const models::ModelConfig& c, const NamedTensors& params) {
  AtomicFile out(path);
  {
    H5File f = H5File::create(out.temp_path());
    write_model(f, c, params);
  }
  out.commit();
}

ModelFile load_model_file(const std::string& path) {
  try {
    return read_model(H5File::open_read(path));
  } catch (const std::runtime_error& e) {
    // A .pth where a model file belongs is the likeliest mistake: say what to do about it.
    if (std::string(e.what()).find("not an HDF5 file") != std::string::npos)
      throw std::runtime_error(path + ": not a graphstyle model file (an HDF5 file); PyTorch .pth weights are "
                               "turned into one with `graphstyle convert`");
    throw;
  }
}

ModelFile read_model(const H5File& f) {
  const std::string& path = f.path();
  if (!f.has_attr("/", "format") || f.attr_string("/", "format") != kFormat)
    throw std::runtime_error(path + ": not a graphstyle model file (make one with `graphstyle convert`)");
  const int64_t version = f.attr_int("/", "format_version");
  if (version > kModelFormatVersion)
    throw std::runtime_error(path + ": model format version " + std::to_string(version) +
                             " is newer than this graphstyle understands (" + std::to_string(kModelFormatVersion) + ")");
  ModelFile m;
  models::ModelConfig& c = m.config;
  c.encoder = models::parse_encoder_layout(f.attr_string("/", "encoder_layout"));
  c.upsample = models::parse_upsample_mode(f.attr_string("/", "upsample"));
  c.patch = static_cast<int>(f.attr_int("/", "patch"));
  c.d = f.attr_int("/", "d");
  c.scale_hidden = f.attr_int("/", "scale_hidden");
  c.s_min = static_cast<float>(f.attr_double("/", "s_min"));
  c.s_max = static_cast<float>(f.attr_double("/", "s_max"));
  const std::vector<int64_t> widths = f.read_i64("config/widths");
  if (widths.size() != 4) throw std::runtime_error(path + ": config/widths must hold 4 numbers");
  std::copy(widths.begin(), widths.end(), c.widths.begin());

  const models::ParameterShapes expected = models::parameter_shapes(c);
  NamedTensors found;
  for (const std::string& name : f.members("params")) {
    const std::string dataset = "params/" + name;
    if (f.dtype(dataset) != "float32")
      throw std::runtime_error(path + ": " + name + " is " + f.dtype(dataset) + ", expected float32");
    found.push_back({name, f.read_tensor(dataset)});
  }
  check_parameters(found, expected, path);
  for (const auto& [name, shape] : expected)
    for (auto& [n, t] : found)
      if (n == name) m.params.push_back({n, t});
  return m;
}

}  // namespace gs::data
