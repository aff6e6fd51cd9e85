// Helpers for the end-to-end golden files of ../shared/fixtures/e2e: the real model built from
// ../shared/weights, tensors split over part files, and PSNR.
#pragma once
#include <cmath>
#include <string>

#include "data/hdf5_file.h"
#include "data/image.h"
#include "data/released_weights.h"
#include "models/init.h"
#include "models/stylizer.h"
#include "models/weights.h"
#include "shared_path.h"
#include "tensor/ops.h"

namespace gs::test {

inline const char* kE2EDir = "fixtures/e2e/chicago_starry_night_256";

// The released AdaIN weights plus graph parameters from `graph_pth` ("" = MODEL.md initialisation).
inline models::Stylizer real_model(const std::string& graph_pth = "") {
  models::ModelConfig config;
  const data::StateDict enc = data::load_encoder_weights(shared_file("weights/vgg_normalised.pth"));
  const data::StateDict dec = data::load_decoder_weights(shared_file("weights/decoder.pth"));
  const data::NamedTensors graph =
      graph_pth.empty() ? models::init_graph_params(config, 0) : models::load_graph_params(graph_pth, config);
  return models::Stylizer(config, models::assemble_params(config, enc, graph, dec, "../shared/weights"));
}

// `<stem>.part0.h5` ... concatenated along the channel dimension; each part holds one dataset.
inline Tensor load_parts(const std::string& dir, const std::string& stem, const std::string& dataset, int parts) {
  std::vector<Tensor> pieces;
  for (int i = 0; i < parts; ++i)
    pieces.push_back(data::H5File::open_golden(dir + "/" + stem + ".part" + std::to_string(i) + ".h5").read_tensor(dataset));
  return concat(pieces, 1);
}

// PSNR in dB of two images in [0,1] (both clamped first, as when written).
inline double psnr(const Tensor& a, const Tensor& b) {
  const Tensor x = clamp(a, 0.f, 1.f).contiguous(), y = clamp(b, 0.f, 1.f).contiguous();
  double se = 0;
  for (int64_t i = 0; i < x.numel(); ++i) se += std::pow(double(x.data()[i]) - y.data()[i], 2);
  const double mse = se / double(x.numel());
  return mse == 0 ? INFINITY : 10 * std::log10(1.0 / mse);
}

}  // namespace gs::test
