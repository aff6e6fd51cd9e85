// graphstyle pack: a trained model file -> the trained weights the project ships (graph and decoder,
// without the released encoder), optionally in half precision, with the recommended settings;
// through graphstyle::pack_trained_weights.
#include <cstdio>
#include <string>
#include <vector>

#include <graphstyle/graphstyle.hpp>

#include "tools/args.h"
#include "tools/isolated.h"
#include "tools/stylize_options.h"

namespace gs::tools {

namespace {
const char* kUsage =
    "usage: graphstyle pack --model MODEL.h5 -o TRAINED.h5 [--half on|off] [--alpha A] [--mix M]\n"
    "                       [--k K] [--kc K] [--stroke S] [--provenance TEXT]\n"
    "  --model       a trained model file (graphstyle train's model.h5 or model_STEP.h5)\n"
    "  -o            the trained weights to write (atomically): graph and decoder parameters only;\n"
    "                graphstyle convert --vgg VGG.pth --trained TRAINED.h5 makes a model file of them\n"
    "  --half        store the weights as IEEE half (on): half the size\n"
    "  --alpha --mix --k --kc --stroke\n"
    "                the settings stylize uses with this model unless told otherwise (chosen on the\n"
    "                held-out set); settings not given keep the model file's, if it has any\n"
    "  --provenance  a line on where the weights came from (data, steps, run)\n";
}  // namespace

int run_pack(const std::vector<std::string>& argv) {
  Args args(argv, kUsage);
  if (args.help()) {
    std::printf("%s", kUsage);
    return 0;
  }
  const std::string model_path = args.required("--model");
  const std::string out = args.required_output("TRAINED.h5");
  graphstyle::PackOptions o;
  o.half = args.get_on_off("--half", true);
  if (args.value("--alpha")) o.alpha = args.get_double("--alpha", 1.0, 0.0, 1.0);
  if (args.value("--stroke")) o.stroke = args.get_double("--stroke", 1.0, 1e-3, 100.0);
  if (args.value("--k")) o.k = static_cast<int>(args.get_int("--k", 5, 1, 64));
  if (args.value("--kc")) o.kc = static_cast<int>(args.get_int("--kc", 5, 0, 64));
  if (auto mix = args.value("--mix")) o.mix = parse_mix(*mix);
  o.provenance = args.get("--provenance", "");
  args.finish();
  refuse_output_over_input("-o", out, {{"--model", model_path}});
  check_in_child(model_path, [&] { graphstyle::Model::load(model_path); });
  const graphstyle::ModelFileSummary s = graphstyle::pack_trained_weights(model_path, out, o);
  std::printf("wrote %s: %zu parameters (%s)\n", out.c_str(), s.parameters, o.half ? "half" : "float32");
  return 0;
}

}  // namespace gs::tools
