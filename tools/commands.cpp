#include "tools/commands.h"

#include <cstring>

namespace gs::tools {

int run_convert(const std::vector<std::string>& args);
int run_pack(const std::vector<std::string>& args);
int run_stylize(const std::vector<std::string>& args);
int run_train(const std::vector<std::string>& args);
int run_evaluate(const std::vector<std::string>& args);
int run_serve(const std::vector<std::string>& args);

namespace {
const Command kCommands[] = {
    {"stylize", "stylize a content image with a style image", run_stylize},
    {"convert", "build a graphstyle model file from PyTorch .pth weights", run_convert},
    {"pack", "trained model file -> the graph and decoder weights to ship (half precision)", run_pack},
    {"train", "train the stylizer on folders of content and style images", run_train},
    {"serve", "an HTTP stylization service (POST /v1/stylize, /v1/graph) and the graph explorer page", run_serve},
    {"evaluate", "measure stylized images: content, style and local-style metrics, SSIM, a panel", run_evaluate},
};
}  // namespace

const Command* find_command(const std::string& name) {
  for (const Command& c : kCommands)
    if (name == c.name) return &c;
  return nullptr;
}

void print_usage(std::FILE* out) {
  std::fprintf(out,
               "graphstyle: GNN-based semi-parametric style transfer (Jing et al., ECCV 2022) on the CPU\n\n"
               "usage: graphstyle <command> [options]   (graphstyle <command> --help for its options)\n"
               "       graphstyle --version\n\n"
               "commands:\n");
  for (const Command& c : kCommands) std::fprintf(out, "  %-9s %s\n", c.name, c.summary);
}

}  // namespace gs::tools
