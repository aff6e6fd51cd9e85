// graphstyle-dev: the developer's tools, apart from the product binary: `verify` (this build against
// the PyTorch golden files) and `bench` (timings beside the reference's). They read ../shared by default.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include <graphstyle/graphstyle.hpp>

namespace gs::tools {
int run_verify(const std::vector<std::string>& args);
int run_bench(const std::vector<std::string>& args);
int run_montage(const std::vector<std::string>& args);
int run_graph_json(const std::vector<std::string>& args);
int run_train_graph(const std::vector<std::string>& args);
int run_pan(const std::vector<std::string>& args);
int run_knn_quality(const std::vector<std::string>& args);
int run_precision(const std::vector<std::string>& args);
}  // namespace gs::tools

namespace {
struct DevCommand {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args);
};
const DevCommand kCommands[] = {
    {"verify", "check this build against the PyTorch golden files (--fixtures DIR)", gs::tools::run_verify},
    {"bench", "time the model's stages on this machine (bench conv | ...)", gs::tools::run_bench},
    {"montage", "images side by side in a labelled grid (the README's gallery)", gs::tools::run_montage},
    {"graph-json", "a graph dump (stylize --dump-graph) as the JSON of serve's /v1/graph", gs::tools::run_graph_json},
    {"train-graph", "one training step's autograd graph as Graphviz DOT (docs/tour.md)", gs::tools::run_train_graph},
    {"pan", "a panning video's frames stylized alone and smoothed, with their changes (the README's gallery)",
     gs::tools::run_pan},
    {"knn-quality", "the approximate k-NN against the exact one on two images: time, edge recall, output PSNR",
     gs::tools::run_knn_quality},
    {"precision", "bf16 stylizations against fp32 over the shared photos x paintings (PSNR, SSIM)",
     gs::tools::run_precision},
};

void usage(std::FILE* out) {
  std::fprintf(out, "graphstyle-dev %s: developer tools for graphstyle\n\nusage: graphstyle-dev <command> [options]\n\n"
               "commands:\n", GRAPHSTYLE_VERSION_STRING);
  for (const DevCommand& c : kCommands) std::fprintf(out, "  %-11s %s\n", c.name, c.summary);
}
}  // namespace

int main(int argc, char** argv) {
  graphstyle::tune_allocator();  // as the product binary: the timings are of the same process setup
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    usage(stdout);
    return args.empty() ? 2 : 0;
  }
  for (const DevCommand& c : kCommands)
    if (args[0] == c.name) try {
        return c.run(std::vector<std::string>(args.begin() + 1, args.end()));
      } catch (const std::exception& e) {
        std::fprintf(stderr, "graphstyle-dev %s: error: %s\n", c.name, e.what());
        return 1;
      }
  std::fprintf(stderr, "graphstyle-dev: unknown command '%s' (try 'graphstyle-dev --help')\n", args[0].c_str());
  return 2;
}
