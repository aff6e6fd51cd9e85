// graphstyle::build_model_file and pack_trained_weights: the library's model-file makers behind the
// public API (graphstyle/model_files.hpp).
#include "graphstyle/model_files.hpp"

#include <cmath>
#include <string>

#include "api/convert.h"
#include "data/model_file.h"
#include "data/released_weights.h"
#include "models/init.h"
#include "models/weights.h"

namespace graphstyle {

namespace {

ModelFileSummary summary(const gs::models::ModelConfig& config, size_t parameters) {
  return {parameters, gs::models::to_string(config.encoder), gs::models::to_string(config.upsample)};
}

bool is_torchvision(const gs::data::StateDict& encoder) { return !encoder.count("encoder.conv0.weight"); }

void check_pack_options(const PackOptions& o) {
  auto unit = [](const char* field, const std::optional<double>& v) {
    if (v && !(*v >= 0.0 && *v <= 1.0))
      throw OptionError(field, std::string(field) + " " + std::to_string(*v) + " must be in [0, 1]");
  };
  unit("alpha", o.alpha);
  unit("mix", o.mix);
  if (o.stroke && !(*o.stroke > 0.0 && std::isfinite(*o.stroke)))
    throw OptionError("stroke", "stroke " + std::to_string(*o.stroke) + " must be > 0");
  if (o.k && *o.k < 1) throw OptionError("k", "k " + std::to_string(*o.k) + " must be >= 1");
  if (o.kc && *o.kc < 0) throw OptionError("kc", "kc " + std::to_string(*o.kc) + " must be >= 0");
}

}  // namespace

ModelFileSummary build_model_file(const ReleasedWeights& w, const std::string& out) {
  if (w.patch < 1 || w.patch > 15 || w.patch % 2 == 0)
    throw OptionError("patch", "patch " + std::to_string(w.patch) + " must be odd and in 1..15");
  if (w.upsample != "nearest" && w.upsample != "bilinear")
    throw OptionError("upsample", "upsample '" + w.upsample + "' must be nearest or bilinear");
  return detail::translate([&] {
    gs::models::ModelConfig config;
    config.upsample = gs::models::parse_upsample_mode(w.upsample);
    config.patch = w.patch;
    const gs::data::StateDict encoder = gs::data::load_encoder_weights(w.vgg);
    config.encoder = is_torchvision(encoder) ? gs::models::EncoderLayout::torchvision
                                             : gs::models::EncoderLayout::vgg_normalised;
    const gs::data::StateDict decoder = gs::data::load_decoder_weights(w.decoder);
    const gs::data::NamedTensors graph = w.graph.empty() ? gs::models::init_graph_params(config, w.seed)
                                                         : gs::models::load_graph_params(w.graph, config, &config.family);
    const gs::data::NamedTensors params =
        gs::models::assemble_params(config, encoder, graph, decoder, w.vgg + " + " + w.decoder);
    gs::data::save_model_file(out, config, params);
    return summary(config, params.size());
  });
}

ModelFileSummary build_model_file(const std::string& vgg, const std::string& trained_path, const std::string& out) {
  return detail::translate([&] {
    const gs::data::TrainedWeights trained = gs::data::load_trained_weights(trained_path);
    const gs::data::StateDict encoder = gs::data::load_encoder_weights(vgg);
    const bool torchvision = is_torchvision(encoder);
    if (torchvision != (trained.config.encoder == gs::models::EncoderLayout::torchvision))
      throw std::invalid_argument(trained_path + " was trained with the " + gs::models::to_string(trained.config.encoder) +
                                  " encoder, but " + vgg + " is a " + (torchvision ? "torchvision" : "vgg_normalised") +
                                  " one");
    const gs::data::StateDict decoder(trained.params.begin(), trained.params.end());
    const gs::data::NamedTensors params =
        gs::models::assemble_params(trained.config, encoder, {}, decoder, vgg + " + " + trained_path);
    gs::data::save_model_file(out, trained.config, params, trained.recommended);
    return summary(trained.config, params.size());
  });
}

void check_trained_weights(const std::string& trained) {
  detail::translate([&] { gs::data::load_trained_weights(trained); });
}

ModelFileSummary pack_trained_weights(const std::string& model_path, const std::string& out, const PackOptions& o) {
  check_pack_options(o);
  return detail::translate([&] {
    const gs::data::ModelFile model = gs::data::load_model_file(model_path);
    gs::data::TrainedWeights w;
    w.config = model.config;
    w.recommended = model.recommended;
    if (o.alpha) w.recommended.alpha = *o.alpha;
    if (o.mix) w.recommended.mix = *o.mix;
    if (o.stroke) w.recommended.stroke = *o.stroke;
    if (o.k) w.recommended.k = *o.k;
    if (o.kc) w.recommended.kc = *o.kc;
    w.provenance = o.provenance;
    // The encoder is the released VGG, joined back in by build_model_file: not shipped twice.
    for (const auto& [name, t] : model.params)
      if (name.rfind("encoder.", 0) != 0) w.params.push_back({name, t});
    gs::data::save_trained_weights(out, w, o.half);
    return summary(w.config, w.params.size());
  });
}

}  // namespace graphstyle
