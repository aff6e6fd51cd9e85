// graphstyle convert: PyTorch .pth weights -> a graphstyle model file (HDF5).
#include <cstdio>
#include <string>
#include <vector>

#include "data/model_file.h"
#include "data/released_weights.h"
#include "models/init.h"
#include "models/weights.h"
#include "tools/args.h"

namespace gs::tools {

namespace {
const char* kUsage =
    "usage: graphstyle convert --vgg VGG.pth --decoder DECODER.pth [--graph GRAPH.pth] -o MODEL.h5\n"
    "                          [--upsample nearest|bilinear] [--patch 5] [--seed 0]\n"
    "       graphstyle convert --vgg VGG.pth --trained TRAINED.h5 -o MODEL.h5\n"
    "  --vgg      the encoder: pytorch-AdaIN's vgg_normalised.pth (legacy or zip format), or a torchvision\n"
    "             vgg19 state dict (features.N.*)\n"
    "  --decoder  pytorch-AdaIN's decoder.pth\n"
    "  --graph    graph parameters (scale.*, inter.*, intra.*); without it they get MODEL.md's\n"
    "             initialisation (uniform attention, unit scales), drawn with --seed\n"
    "  --trained  trained graph and decoder weights (graphstyle pack writes them; the project ships\n"
    "             models/trained/graphstyle_gnn.h5): configuration and recommended settings come along\n"
    "  -o         the model file to write (atomically)\n";

int convert_trained(const std::string& vgg, const std::string& trained_path, const std::string& out) {
  const data::TrainedWeights trained = data::load_trained_weights(trained_path);
  const data::StateDict encoder = data::load_encoder_weights(vgg);
  const bool torchvision = !encoder.count("encoder.conv0.weight");
  if (torchvision != (trained.config.encoder == models::EncoderLayout::torchvision))
    throw std::invalid_argument(trained_path + " was trained with the " + models::to_string(trained.config.encoder) +
                                " encoder, but " + vgg + " is a " + (torchvision ? "torchvision" : "vgg_normalised") +
                                " one");
  const data::StateDict decoder(trained.params.begin(), trained.params.end());
  const data::NamedTensors params =
      models::assemble_params(trained.config, encoder, {}, decoder, vgg + " + " + trained_path);
  data::save_model_file(out, trained.config, params, trained.recommended);
  std::printf("wrote %s: %zu parameters, encoder %s, trained weights %s\n", out.c_str(), params.size(),
              models::to_string(trained.config.encoder).c_str(), trained_path.c_str());
  return 0;
}
}  // namespace

int run_convert(const std::vector<std::string>& argv) {
  Args args(argv, kUsage);
  if (args.help()) {
    std::printf("%s", kUsage);
    return 0;
  }
  const std::string vgg = args.required("--vgg");
  const std::string trained = args.get("--trained", "");
  if (!trained.empty()) {
    auto out = args.value("-o");
    if (!out) out = args.value("--out");
    if (!out) throw std::invalid_argument("option -o MODEL.h5 is required (see --help)");
    args.finish();
    return convert_trained(vgg, trained, *out);
  }
  const std::string decoder = args.required("--decoder");
  const std::string graph = args.get("--graph", "");
  auto out = args.value("-o");
  if (!out) out = args.value("--out");
  if (!out) throw std::invalid_argument("option -o MODEL.h5 is required (see --help)");
  models::ModelConfig config;
  config.upsample = models::parse_upsample_mode(args.get_choice("--upsample", "nearest", {"nearest", "bilinear"}));
  config.patch = static_cast<int>(args.get_int("--patch", 5, 1, 15));
  if (config.patch % 2 == 0) throw std::invalid_argument("option --patch " + std::to_string(config.patch) + ": must be odd");
  const uint64_t seed = static_cast<uint64_t>(args.get_int("--seed", 0, 0, INT64_MAX));
  args.finish();

  const data::StateDict encoder = data::load_encoder_weights(vgg);
  config.encoder = encoder.count("encoder.conv0.weight") ? models::EncoderLayout::vgg_normalised
                                                          : models::EncoderLayout::torchvision;
  const data::StateDict dec = data::load_decoder_weights(decoder);
  const data::NamedTensors graph_params =
      graph.empty() ? models::init_graph_params(config, seed) : models::load_graph_params(graph, config);
  const data::NamedTensors params = models::assemble_params(config, encoder, graph_params, dec, vgg + " + " + decoder);
  data::save_model_file(*out, config, params);
  std::printf("wrote %s: %zu parameters, encoder %s, upsample %s, graph parameters %s\n", out->c_str(), params.size(),
              models::to_string(config.encoder).c_str(), models::to_string(config.upsample).c_str(),
              graph.empty() ? "initialised (MODEL.md)" : graph.c_str());
  return 0;
}

}  // namespace gs::tools
