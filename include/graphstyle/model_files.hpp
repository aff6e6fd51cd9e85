// Making model files: from PyTorch's released weights, and packing trained weights for shipping.
//
//   graphstyle::ReleasedWeights w;
//   w.vgg = "vgg_normalised.pth";  w.decoder = "decoder.pth";    // pytorch-AdaIN's files
//   graphstyle::build_model_file(w, "model.h5");                 // then Model::load("model.h5")
//
// Every file is written to a temporary name and renamed, so a failed call leaves no partial file.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include "graphstyle/export.h"

GRAPHSTYLE_EXPORT_BEGIN
namespace graphstyle {

// What build_model_file and pack_trained_weights wrote.
struct ModelFileSummary {
  size_t parameters = 0;         // tensors in the file
  std::string encoder_layout;    // "vgg_normalised" or "torchvision"
  std::string upsample;          // the decoder's: "nearest" or "bilinear"
};

struct ReleasedWeights {
  std::string vgg;               // the encoder: vgg_normalised.pth (legacy or zip), or a torchvision vgg19 state dict
  std::string decoder;           // pytorch-AdaIN's decoder.pth
  std::string graph;             // graph parameters (.pth or model file); empty: MODEL.md's initialisation
  std::string upsample = "nearest";  // the decoder's upsampling: "nearest" or "bilinear"
  int patch = 5;                 // patch size at relu4_1, odd, 1..15
  uint64_t seed = 0;             // draws the initial graph parameters when graph is empty
};
// The encoder, decoder and graph parameters -> one model file at `out`.
ModelFileSummary build_model_file(const ReleasedWeights& weights, const std::string& out);

// The released encoder joined with trained graph and decoder weights (pack_trained_weights wrote
// them): the configuration and recommended settings come from the trained file.
ModelFileSummary build_model_file(const std::string& vgg, const std::string& trained, const std::string& out);
// Reads a trained-weights file through and checks it (format, configuration, shapes, finite values,
// settings): throws what build_model_file would throw for it, and builds nothing.
void check_trained_weights(const std::string& trained);

// The settings a packed model recommends to stylize with; unset ones keep the model file's.
struct PackOptions {
  bool half = true;                        // store the weights as IEEE half: half the size
  std::optional<double> alpha, mix, stroke;  // alpha and mix in [0, 1], stroke > 0
  std::optional<int> k, kc;                // k >= 1, kc >= 0
  std::string provenance;                  // where the weights came from (data, steps, run)
};
// A trained model file -> its graph and decoder weights (not the released encoder) at `out`.
ModelFileSummary pack_trained_weights(const std::string& model, const std::string& out, const PackOptions& options);

}  // namespace graphstyle
GRAPHSTYLE_EXPORT_END
