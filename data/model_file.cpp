#include "data/model_file.h"

#include <algorithm>
#include <cmath>
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
  // Only a model with a family has the attribute: files without one read as before.
  if (c.family != models::InterFamily::none) f.set_attr("/", "inter_family", models::to_string(c.family));
}

// Configuration read from an untrusted file: every number is range-checked here, naming the
// attribute, before it sizes anything.
int64_t int_attr(const H5File& f, const char* name, int64_t lo, int64_t hi) {
  const int64_t v = f.attr_int("/", name);
  if (v < lo || v > hi)
    throw std::runtime_error(f.path() + ": attribute '" + name + "' is " + std::to_string(v) + ", expected " +
                             std::to_string(lo) + ".." + std::to_string(hi));
  return v;
}

double float_attr(const H5File& f, const char* name, double lo, double hi) {
  const double v = f.attr_double("/", name);  // finite: H5File refuses NaN and Inf
  if (v < lo || v > hi)
    throw std::runtime_error(f.path() + ": attribute '" + name + "' is " + number_text(v) + ", expected " +
                             number_text(lo) + ".." + number_text(hi));
  return v;
}

constexpr int64_t kMaxWidth = 4096;  // channels of any layer: VGG's are 64..512

models::ModelConfig read_config(const H5File& f, const char* format, const std::string& kind,
                                const std::string& what_to_do) {
  const std::string& path = f.path();
  if (!f.has_attr("/", "format") || !f.attr_is_string("/", "format") || f.attr_string("/", "format") != format)
    throw std::runtime_error(path + ": not a " + kind + " (" + what_to_do + ")");
  const int64_t version = f.attr_int("/", "format_version");
  if (version < 1)
    throw std::runtime_error(path + ": attribute 'format_version' is " + std::to_string(version) + ", expected >= 1");
  if (version > kModelFormatVersion)
    throw std::runtime_error(path + ": " + kind + " format version " + std::to_string(version) +
                             " is newer than this graphstyle understands (" + std::to_string(kModelFormatVersion) + ")");
  models::ModelConfig c;
  try {
    c.encoder = models::parse_encoder_layout(f.attr_string("/", "encoder_layout"));
    c.upsample = models::parse_upsample_mode(f.attr_string("/", "upsample"));
    if (f.has_attr("/", "inter_family")) c.family = models::parse_inter_family(f.attr_string("/", "inter_family"));
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  c.patch = static_cast<int>(int_attr(f, "patch", 1, 15));
  if (c.patch % 2 == 0)
    throw std::runtime_error(path + ": attribute 'patch' is " + std::to_string(c.patch) + ", expected an odd number");
  c.d = int_attr(f, "d", 1, kMaxWidth);
  c.scale_hidden = int_attr(f, "scale_hidden", 1, kMaxWidth);
  c.s_min = static_cast<float>(float_attr(f, "s_min", 1e-3, 100));
  c.s_max = static_cast<float>(float_attr(f, "s_max", 1e-3, 100));
  if (!(c.s_min < c.s_max))
    throw std::runtime_error(path + ": attributes s_min " + std::to_string(c.s_min) + " and s_max " +
                             std::to_string(c.s_max) + " are not an interval (s_min < s_max)");
  if (!f.exists("config/widths") || f.dtype("config/widths") != "int64" || f.shape("config/widths") != Shape{4})
    throw std::runtime_error(path + ": config/widths must be an int64 dataset of shape [4]");
  const std::vector<int64_t> widths = f.read_i64("config/widths");
  for (size_t i = 0; i < 4; ++i) {
    if (widths[i] < 1 || widths[i] > kMaxWidth)
      throw std::runtime_error(path + ": config/widths[" + std::to_string(i) + "] is " + std::to_string(widths[i]) +
                               ", expected 1.." + std::to_string(kMaxWidth));
    c.widths[i] = widths[i];
  }
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
  // The ranges stylize's own options accept.
  if (f.has_attr("/", "recommended_alpha")) r.alpha = float_attr(f, "recommended_alpha", 0, 1);
  if (f.has_attr("/", "recommended_stroke")) r.stroke = float_attr(f, "recommended_stroke", 1e-3, 100);
  if (f.has_attr("/", "recommended_k")) r.k = int_attr(f, "recommended_k", 1, 64);
  if (f.has_attr("/", "recommended_kc")) r.kc = int_attr(f, "recommended_kc", 0, 64);
  if (f.has_attr("/", "recommended_mix")) r.mix = float_attr(f, "recommended_mix", 0, 1);
  return r;
}

// params/<name> for exactly the expected names and shapes, float32 or half, in the expected order.
// Names, dtypes and shapes are all checked before any tensor is read, so a file claiming a huge
// dataset is refused without allocating for it; every weight must be finite.
NamedTensors read_params(const H5File& f, const models::ParameterShapes& expected) {
  if (!f.exists("params")) throw std::runtime_error(f.path() + ": no group 'params' (the model's weights)");
  models::ParameterShapes shapes;
  for (const std::string& name : f.members("params")) {
    const std::string dataset = "params/" + name;
    const std::string dtype = f.dtype(dataset);
    if (dtype != "float32" && dtype != "float16")
      throw std::runtime_error(f.path() + ": " + name + " is " + dtype + ", expected float32 or float16");
    shapes.push_back({name, f.shape(dataset)});
  }
  check_parameter_shapes(shapes, expected, f.path());
  NamedTensors ordered;
  for (const auto& [name, shape] : expected) {
    Tensor t = f.read_tensor("params/" + name);
    check_finite(f.path(), name, t);
    ordered.push_back({name, std::move(t)});
  }
  return ordered;
}

H5File open_model_file(const std::string& path) {
  try {
    return H5File::open_read(path);
  } catch (const std::runtime_error& e) {
    // A .pth where a model file belongs is the likeliest mistake: say what to do about it.
    if (std::string(e.what()).find("not an HDF5 file") != std::string::npos)
      throw std::runtime_error(path + ": not a graphstyle model file (an HDF5 file); PyTorch .pth weights are "
                               "turned into one by build_model_file (graphstyle/model_files.hpp; on the command line: convert)");
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
  models::ParameterShapes shapes;
  for (const auto& [name, t] : params) shapes.push_back({name, t.shape()});
  check_parameter_shapes(shapes, expected, source);
}

void check_parameter_shapes(const models::ParameterShapes& params, const models::ParameterShapes& expected,
                            const std::string& source) {
  std::map<std::string, const Shape*> have;
  for (const auto& [name, shape] : params) have[name] = &shape;
  std::string missing, extra, wrong;
  for (const auto& [name, shape] : expected) {
    auto it = have.find(name);
    if (it == have.end()) {
      missing += (missing.empty() ? "" : ", ") + name;
    } else if (*it->second != shape) {
      wrong += (wrong.empty() ? "" : "; ") + name + " is " + shape_str(*it->second) + ", expected " +
               shape_str(shape);
    }
  }
  std::map<std::string, bool> known;
  for (const auto& e : expected) known[e.first] = true;
  int extras = 0;
  for (const auto& param : params)
    if (!known.count(param.first) && ++extras <= 10) extra += (extra.empty() ? "" : ", ") + param.first;
  if (extras > 10) extra += " and " + std::to_string(extras - 10) + " more";
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
  read_config(f, kFormat, "graphstyle model file", "one is built from .pth weights by build_model_file (on the command line: convert)");
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
  w.config = read_config(f, kTrainedFormat, "graphstyle trained-weights file", "pack_trained_weights writes them from a trained model file (on the command line: pack)");
  w.recommended = read_recommended(f);
  w.provenance = f.has_attr("/", "provenance") ? f.attr_string("/", "provenance") : "";
  w.params = read_params(f, trained_shapes(w.config));
  return w;
}

void check_finite(const std::string& source, const std::string& name, const Tensor& t) {
  const float* p = t.data();
  for (int64_t i = 0, n = t.numel(); i < n; ++i)
    if (!std::isfinite(p[i]))
      throw std::runtime_error(source + ": tensor '" + name + "' holds " + (std::isnan(p[i]) ? "NaN" : "Inf") +
                               " at element " + std::to_string(i) + "; weights must be finite");
}

ModelFile load_model_file(const std::string& path) { return read_model(open_model_file(path)); }

ModelFile read_model(const H5File& f) {
  ModelFile m;
  m.config = read_config(f, kFormat, "graphstyle model file", "one is built from .pth weights by build_model_file (on the command line: convert)");
  m.params = read_params(f, models::parameter_shapes(m.config));
  m.recommended = read_recommended(f);
  return m;
}

}  // namespace gs::data
