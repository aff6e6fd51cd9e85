#include "data/model_file.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "data/atomic_file.h"
#include "data/hdf5_file.h"

namespace gs::data {

namespace {
const char* kFormat = "graphstyle-model";
const char* kTrainedFormat = "graphstyle-trained-weights";

void write_config(H5File& f, const models::ModelConfig& c, const char* format) {
  f.set_attr("/", "format", std::string(format));
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
}

models::ModelConfig read_config(const H5File& f, const char* format, const std::string& kind,
                                const std::string& what_to_do) {
  const std::string& path = f.path();
  if (!f.has_attr("/", "format") || f.attr_string("/", "format") != format)
    throw std::runtime_error(path + ": not a " + kind + " (" + what_to_do + ")");
  const int64_t version = f.attr_int("/", "format_version");
  if (version > kModelFormatVersion)
    throw std::runtime_error(path + ": " + kind + " format version " + std::to_string(version) +
                             " is newer than this graphstyle understands (" + std::to_string(kModelFormatVersion) + ")");
  models::ModelConfig c;
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
  return c;
}

void write_recommended(H5File& f, const RecommendedSettings& r) {
  if (r.alpha) f.set_attr("/", "recommended_alpha", *r.alpha);
  if (r.stroke) f.set_attr("/", "recommended_stroke", *r.stroke);
  if (r.k) f.set_attr("/", "recommended_k", *r.k);
  if (r.kc) f.set_attr("/", "recommended_kc", *r.kc);
  if (r.mix) f.set_attr("/", "recommended_mix", *r.mix);
}

RecommendedSettings read_recommended(const H5File& f) {
  RecommendedSettings r;
  if (f.has_attr("/", "recommended_alpha")) r.alpha = f.attr_double("/", "recommended_alpha");
  if (f.has_attr("/", "recommended_stroke")) r.stroke = f.attr_double("/", "recommended_stroke");
  if (f.has_attr("/", "recommended_k")) r.k = f.attr_int("/", "recommended_k");
  if (f.has_attr("/", "recommended_kc")) r.kc = f.attr_int("/", "recommended_kc");
  if (f.has_attr("/", "recommended_mix")) r.mix = f.attr_double("/", "recommended_mix");
  for (const auto& [name, v] : {std::pair{"alpha", r.alpha}, std::pair{"mix", r.mix}})
    if (v && !(*v >= 0.0 && *v <= 1.0))
      throw std::runtime_error(f.path() + ": recommended_" + name + " is " + std::to_string(*v) + ", expected 0..1");
  return r;
}

// params/<name> for exactly the expected names and shapes, float32 or half, in the expected order.
NamedTensors read_params(const H5File& f, const models::ParameterShapes& expected) {
  NamedTensors found;
  for (const std::string& name : f.members("params")) {
    const std::string dataset = "params/" + name;
    const std::string dtype = f.dtype(dataset);
    if (dtype != "float32" && dtype != "float16")
      throw std::runtime_error(f.path() + ": " + name + " is " + dtype + ", expected float32 or float16");
    found.push_back({name, f.read_tensor(dataset)});
  }
  check_parameters(found, expected, f.path());
  NamedTensors ordered;
  for (const auto& [name, shape] : expected)
    for (auto& [n, t] : found)
      if (n == name) ordered.push_back({n, t});
  return ordered;
}

H5File open_model_file(const std::string& path) {
  try {
    return H5File::open_read(path);
  } catch (const std::runtime_error& e) {
    // A .pth where a model file belongs is the likeliest mistake: say what to do about it.
    if (std::string(e.what()).find("not an HDF5 file") != std::string::npos)
      throw std::runtime_error(path + ": not a graphstyle model file (an HDF5 file); PyTorch .pth weights are "
                               "turned into one with `graphstyle convert`");
    throw;
  }
}

models::ParameterShapes trained_shapes(const models::ModelConfig& c) {
  models::ParameterShapes shapes = models::graph_shapes(c);
  for (auto& s : models::decoder_shapes(c)) shapes.push_back(s);
  return shapes;
}
}  // namespace

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
  write_config(f, c, kFormat);
  for (const auto& [name, t] : params) f.write_tensor("params/" + name, t);
}

void save_model_file(const std::string& path, const models::ModelConfig& c, const NamedTensors& params,
                     const RecommendedSettings& recommended) {
  AtomicFile out(path);
  {
    H5File f = H5File::create(out.temp_path());
    write_model(f, c, params);
    write_recommended(f, recommended);
  }
  out.commit();
}

RecommendedSettings load_recommended_settings(const std::string& model_path) {
  const H5File f = open_model_file(model_path);
  read_config(f, kFormat, "graphstyle model file", "make one with `graphstyle convert`");
  return read_recommended(f);
}

void save_trained_weights(const std::string& path, const TrainedWeights& w, bool half) {
  check_parameters(w.params, trained_shapes(w.config), "trained weights to save as " + path);
  AtomicFile out(path);
  {
    H5File f = H5File::create(out.temp_path());
    write_config(f, w.config, kTrainedFormat);
    write_recommended(f, w.recommended);
    f.set_attr("/", "provenance", w.provenance);
    for (const auto& [name, t] : w.params)
      f.write_tensor("params/" + name, t, half ? H5File::Storage::f16 : H5File::Storage::f32);
  }
  out.commit();
}

TrainedWeights load_trained_weights(const std::string& path) {
  const H5File f = H5File::open_read(path);
  TrainedWeights w;
  w.config = read_config(f, kTrainedFormat, "graphstyle trained-weights file", "`graphstyle pack` writes them from a trained model file");
  w.recommended = read_recommended(f);
  w.provenance = f.has_attr("/", "provenance") ? f.attr_string("/", "provenance") : "";
  w.params = read_params(f, trained_shapes(w.config));
  return w;
}

ModelFile load_model_file(const std::string& path) { return read_model(open_model_file(path)); }

ModelFile read_model(const H5File& f) {
  ModelFile m;
  m.config = read_config(f, kFormat, "graphstyle model file", "make one with `graphstyle convert`");
  m.params = read_params(f, models::parameter_shapes(m.config));
  m.recommended = read_recommended(f);
  return m;
}

}  // namespace gs::data
