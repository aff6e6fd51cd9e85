// graphstyle stylize: one content image in the style of one style image.
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "data/image.h"
#include "data/model_file.h"
#include "eval/font.h"
#include "models/graph_inspect.h"
#include "models/stylizer.h"
#include "tools/args.h"
#include "tools/stylize_options.h"
#include "tools/isolated.h"

namespace gs::tools {

namespace {
const char* kLegendFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";  // Debian's fonts-dejavu-core
const std::string kUsage =
    "usage: graphstyle stylize --model MODEL.h5 --content IMAGE --style IMAGE --out IMAGE [options]\n"
    "  --model M.h5        a model file (graphstyle convert) or a training checkpoint\n"
    "  --method adain|gnn  AdaIN, or the GNN stylizer (gnn)\n" +
    stylize_options_usage("512") +
    "Inspection (--method gnn):\n"
    "  --dump-graph F.h5   node positions, inter/intra edges with NCC scores, attention, scales\n"
    "  --explain-dir DIR   scale_map.png, attention_entropy.png, correspondence.png (content-sized)\n"
    "  --quality Q         JPEG quality 1..100 when --out is .jpg (95)\n";

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

int run_stylize(const std::vector<std::string>& argv) {
  Args args(argv, kUsage);
  if (args.help()) {
    std::printf("%s", kUsage.c_str());
    return 0;
  }
  const std::string model_path = args.required("--model");
  const std::string content_path = args.required("--content");
  const std::string style_path = args.required("--style");
  const std::string out_path = args.required("--out");
  // The model file comes from anyone: a first read in a child turns a crash of libhdf5 into an error.
  check_in_child(model_path, [&] { data::load_model_file(model_path); });
  const StylizeOptions opt = parse_stylize_options(args, "512");
  const std::string method = args.get_choice("--method", "gnn", {"gnn", "adain"});
  const int quality = static_cast<int>(args.get_int("--quality", 95, 1, 100));
  const std::string dump_path = args.get("--dump-graph", "");
  const std::string explain_dir = args.get("--explain-dir", "");
  args.finish();
  if ((!dump_path.empty() || !explain_dir.empty()) && method != "gnn")
    throw std::invalid_argument("--dump-graph and --explain-dir need --method gnn");
  const std::vector<std::pair<std::string, std::string>> inputs = {
      {"--model", model_path}, {"--content", content_path}, {"--style", style_path}};
  refuse_output_over_input("--out", out_path, inputs);
  if (!dump_path.empty()) refuse_output_over_input("--dump-graph", dump_path, inputs);

  std::optional<eval::Font> legend_font;  // loaded first: a missing font fails before the long work
  if (!explain_dir.empty()) legend_font.emplace(kLegendFont);
  const auto t0 = std::chrono::steady_clock::now();
  const Tensor content = data::load_image_sized(content_path, opt.size, opt.limits).unsqueeze(0);
  const Tensor style = data::load_image_sized(style_path, opt.style_size, opt.limits).unsqueeze(0);
  const models::Stylizer model = models::Stylizer::load(model_path);
  const data::RecommendedSettings rec = data::load_recommended_settings(model_path);
  const models::GraphOptions gnn = opt.graph_options(model.config(), rec);
  const double t_load = seconds_since(t0);
  const bool inspect = !dump_path.empty() || !explain_dir.empty();
  models::GraphTrace trace;
  const Tensor out = method == "adain" ? model.stylize_adain(content, style, opt.adain_alpha())
                                       : model.stylize_gnn(content, style, gnn, inspect ? &trace : nullptr);
  const double t_run = seconds_since(t0) - t_load;
  data::save_image(out_path, out, quality);
  if (inspect) {
    models::GraphGeometry g;
    g.p = gnn.p;
    g.content_h = content.size(2);
    g.content_w = content.size(3);
    g.fc_h = trace.F1.size(2);
    g.fc_w = trace.F1.size(3);
    g.fs_h = (style.size(2) + 7) / 8;  // ceil-mode pools: relu4_1 is ceil(H/8)
    g.fs_w = (style.size(3) + 7) / 8;
    if (!dump_path.empty()) models::dump_graph(dump_path, trace, g, gnn);
    if (!explain_dir.empty())
      models::write_explain_dir(explain_dir, models::explain_images(trace, g, style.select(0, 0)), &*legend_font);
  }
  if (method == "gnn" && !opt.from_model(rec).empty())
    std::printf("the model's recommended settings: %s\n", opt.from_model(rec).c_str());
  if (!explain_dir.empty())
    std::printf("explain images: %s/{scale_map,attention_entropy,correspondence}.png\n", explain_dir.c_str());
  if (!dump_path.empty()) std::printf("graph dump: %s\n", dump_path.c_str());
  std::printf("content %lldx%lld, style %lldx%lld; load %.2fs %s %.2fs -> %s\n", (long long)content.size(3),
              (long long)content.size(2), (long long)style.size(3), (long long)style.size(2), t_load, method.c_str(),
              t_run, out_path.c_str());
  return 0;
}

}  // namespace gs::tools
