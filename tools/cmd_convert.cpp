// graphstyle convert: PyTorch .pth weights -> a graphstyle model file (HDF5), through
// graphstyle::build_model_file.
#include <cstdio>
#include <string>
#include <vector>

#include <graphstyle/graphstyle.hpp>

#include "tools/args.h"
#include "tools/isolated.h"

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
    const std::string out = args.required_output("MODEL.h5");
    args.finish();
    refuse_output_over_input("-o", out, {{"--vgg", vgg}, {"--trained", trained}});
    check_in_child(trained, [&] { graphstyle::check_trained_weights(trained); });
    const graphstyle::ModelFileSummary s = graphstyle::build_model_file(vgg, trained, out);
    std::printf("wrote %s: %zu parameters, encoder %s, trained weights %s\n", out.c_str(), s.parameters,
                s.encoder_layout.c_str(), trained.c_str());
    return 0;
  }
  graphstyle::ReleasedWeights w;
  w.vgg = vgg;
  w.decoder = args.required("--decoder");
  w.graph = args.get("--graph", "");
  const std::string out = args.required_output("MODEL.h5");
  w.upsample = args.get_choice("--upsample", "nearest", {"nearest", "bilinear"});
  w.patch = static_cast<int>(args.get_int("--patch", 5, 1, 15));
  if (w.patch % 2 == 0) throw std::invalid_argument("option --patch " + std::to_string(w.patch) + ": must be odd");
  w.seed = static_cast<uint64_t>(args.get_int("--seed", 0, 0, INT64_MAX));
  args.finish();
  refuse_output_over_input("-o", out, {{"--vgg", vgg}, {"--decoder", w.decoder}, {"--graph", w.graph}});
  const graphstyle::ModelFileSummary s = graphstyle::build_model_file(w, out);
  std::printf("wrote %s: %zu parameters, encoder %s, upsample %s, graph parameters %s\n", out.c_str(), s.parameters,
              s.encoder_layout.c_str(), s.upsample.c_str(), w.graph.empty() ? "initialised (MODEL.md)" : w.graph.c_str());
  return 0;
}

}  // namespace gs::tools
