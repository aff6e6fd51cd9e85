// graphstyle evaluate: quality metrics of stylized images (eval/metrics.h), for folders of content
// and style images stylized here with one or more methods and models, or for existing images.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "data/image.h"
#include "data/image_folder.h"
#include "eval/font.h"
#include "eval/metrics.h"
#include "eval/panel.h"
#include "eval/report.h"
#include "eval/triples.h"
#include "models/stylizer.h"
#include "tools/args.h"
#include "tools/stylize_options.h"
#include "train/progress.h"

namespace gs::tools {

namespace {
namespace fs = std::filesystem;

const char* kDefaultFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";  // Debian's fonts-dejavu-core

const std::string kUsage =
    "usage: graphstyle evaluate --model [LABEL=]M.h5 --content DIR --style DIR [options]\n"
    "       graphstyle evaluate --model M.h5 --triples FILE.csv [options]\n"
    "Measures stylized images against their content and style images (lower is better but for ssim):\n"
    "  content_relu4_1, content_relu3_1  mean squared difference of the VGG features of output and content\n"
    "  style                             MODEL.md 4's mean/std style loss (relu1_1..relu4_1) against the style\n"
    "  local_relu3_1, local_relu4_1      mean over the output's 3x3 feature patches of 1 - the largest\n"
    "                                    cosine similarity to a 3x3 patch of the style's features\n"
    "  ssim                              SSIM of the grey output to the grey content (11x11 Gaussian, sigma 1.5)\n"
    "Features come from the first --model's encoder.\n"
    "Inputs:\n"
    "  --content DIR --style DIR  stylize and measure every content x style pair (folders are searched\n"
    "                      recursively for .jpg .jpeg .png .bmp; a single image file works too)\n"
    "  --triples FILE.csv  measure existing images instead: rows content,style,output[,method]; paths are\n"
    "                      relative to the CSV's folder; each content image is resized to its output's size,\n"
    "                      each style image to the output's shorter side (unless --size or --style-size)\n"
    "  --model [LABEL=]M.h5  a model file or checkpoint; repeat to compare models (LABEL: the file name)\n"
    "  --method gnn|adain  repeat for several (default: gnn and adain); with several models a column is\n"
    "                      LABEL:METHOD\n" +
    stylize_options_usage("512") +
    "Outputs (a summary table, the mean per method, always goes to stdout):\n"
    "  --csv FILE          one row per pair and method: content,style,method,output and the metrics\n"
    "  --json FILE         the same rows and the summary\n"
    "  --out-dir DIR       also save each stylized image, DIR/CONTENT__STYLE__METHOD.png\n"
    "  --panel FILE.png    a labelled grid: rows = pairs, columns = content | style | each method\n"
    "  --panel-rows N      pairs in the panel, the first N (6)\n"
    "  --panel-cell N      cell size in pixels (256)\n"
    "  --font FILE.ttf     the panel's font (" +
    std::string(kDefaultFont) + ")\n";

struct ModelEntry {
  std::string label;
  std::unique_ptr<models::Stylizer> model;
  data::RecommendedSettings recommended;  // its GNN settings unless the options say otherwise
};

struct Column {  // one way of stylizing: a model and a method
  std::string name;
  const models::Stylizer* model;
  std::string method;
  const data::RecommendedSettings* recommended;
};

// "LABEL=FILE" or "FILE"; a label has no '/' (so a path with '=' in a folder name still works).
std::pair<std::string, std::string> split_label(const std::string& text) {
  const size_t eq = text.find('=');
  if (eq != std::string::npos && eq > 0 && text.substr(0, eq).find('/') == std::string::npos)
    return {text.substr(0, eq), text.substr(eq + 1)};
  return {fs::path(text).stem().string(), text};
}

std::string stem(const std::string& path) { return fs::path(path).stem().string(); }

// Images and their features, loaded once per file and size however many pairs use them.
class ImageCache {
 public:
  ImageCache(const models::Stylizer& encoder_model, data::ImageLimits limits) : model_(encoder_model), limits_(limits) {}
  const Tensor& image(const std::string& path, const data::SizeSpec& spec) {
    const std::string k = key(path, spec);
    auto it = images_.find(k);
    if (it == images_.end()) it = images_.emplace(k, data::load_image_sized(path, spec, limits_)).first;
    return it->second;
  }
  const eval::Features& features(const std::string& path, const data::SizeSpec& spec) {
    const std::string k = key(path, spec);
    auto it = features_.find(k);
    if (it == features_.end())
      it = features_.emplace(k, eval::image_features(model_.params(), model_.config(), image(path, spec))).first;
    return it->second;
  }

 private:
  static std::string key(const std::string& path, const data::SizeSpec& s) {
    return path + "\n" + std::to_string(s.kind) + " " + std::to_string(s.width) + " " + std::to_string(s.height) +
           " " + std::to_string(s.side);
  }
  const models::Stylizer& model_;
  data::ImageLimits limits_;
  std::map<std::string, Tensor> images_;
  std::map<std::string, eval::Features> features_;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string slug(const std::string& s) {
  std::string out;
  for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  return out;
}

}  // namespace

int run_evaluate(const std::vector<std::string>& argv) {
  Args args(argv, kUsage);
  if (args.help()) {
    std::printf("%s", kUsage.c_str());
    return 0;
  }
  const std::vector<std::string> model_args = args.values("--model");
  const auto content_dir = args.value("--content");
  const auto style_dir = args.value("--style");
  const auto triples_path = args.value("--triples");
  std::vector<std::string> methods = args.values("--method");
  const StylizeOptions opt = parse_stylize_options(args, "512");
  const std::string csv_path = args.get("--csv", "");
  const std::string json_path = args.get("--json", "");
  const std::string out_dir = args.get("--out-dir", "");
  const std::string panel_path = args.get("--panel", "");
  const int64_t panel_rows = args.get_int("--panel-rows", 6, 1, 1000);
  const int64_t panel_cell = args.get_int("--panel-cell", 256, 32, 2048);
  const std::string font_path = args.get("--font", kDefaultFont);
  args.finish();

  if (model_args.empty()) throw std::invalid_argument("option --model is required (see --help)");
  if (triples_path && (content_dir || style_dir))
    throw std::invalid_argument("--triples measures existing images: give it without --content and --style");
  if (!triples_path && (!content_dir || !style_dir))
    throw std::invalid_argument("give --content DIR and --style DIR, or --triples FILE.csv (see --help)");
  if (triples_path && (!methods.empty() || !out_dir.empty()))
    throw std::invalid_argument("--method and --out-dir stylize: they need --content and --style, not --triples");
  if (methods.empty()) methods = {"gnn", "adain"};
  for (const std::string& m : methods)
    if (m != "gnn" && m != "adain") throw std::invalid_argument("option --method " + m + ": expected gnn | adain");
  if (!out_dir.empty() && !fs::is_directory(out_dir))
    throw std::invalid_argument("--out-dir " + out_dir + ": no such folder");
  // Everything that can be checked before the long work is: the inputs, the font, the models.
  std::optional<eval::Font> font;
  if (!panel_path.empty()) font.emplace(font_path);
  std::vector<eval::Triple> triples;
  std::vector<std::string> contents, styles;
  if (triples_path) {
    triples = eval::read_triples(*triples_path);
  } else {
    contents = data::list_images(*content_dir, "--content");
    styles = data::list_images(*style_dir, "--style");
  }
  std::vector<ModelEntry> models;
  for (const std::string& a : model_args) {
    auto [label, path] = split_label(a);
    if (!fs::exists(path)) throw std::runtime_error("--model " + path + ": no such file");
    for (const ModelEntry& m : models)
      if (m.label == label) throw std::invalid_argument("--model: two models are labelled '" + label + "' (use LABEL=FILE)");
    models.push_back({label, std::make_unique<models::Stylizer>(models::Stylizer::load(path)),
                      data::load_recommended_settings(path)});
  }
  const models::Stylizer& encoder_model = *models[0].model;

  const auto t0 = std::chrono::steady_clock::now();
  double t_stylize = 0;
  std::vector<eval::Result> results;
  std::vector<std::string> panel_columns{"content", "style"};
  std::vector<eval::PanelRow> panel;
  ImageCache cache(encoder_model, opt.limits);

  if (!triples_path) {
    std::vector<Column> columns;
    for (const ModelEntry& m : models)
      for (const std::string& method : methods)
        columns.push_back({models.size() > 1 ? m.label + ":" + method : method, m.model.get(), method,
                           &m.recommended});
    for (const Column& c : columns) panel_columns.push_back(c.name);
    train::ProgressLine progress("evaluate", static_cast<int64_t>(contents.size() * styles.size() * columns.size()),
                                 "image");
    int64_t done = 0;
    for (const std::string& c : contents)
      for (const std::string& s : styles) {
        const Tensor content = cache.image(c, opt.size).unsqueeze(0), style = cache.image(s, opt.style_size).unsqueeze(0);
        const bool in_panel = static_cast<int64_t>(panel.size()) < panel_rows && font;
        if (in_panel) panel.push_back({stem(c) + "  x  " + stem(s), {content, style}});
        for (const Column& col : columns) {
          const auto ts = std::chrono::steady_clock::now();
          const Tensor raw = col.method == "adain"
                                 ? col.model->stylize_adain(content, style, opt.adain_alpha())
                                 : col.model->stylize_gnn(content, style, opt.graph_options(col.model->config(), *col.recommended));
          const Tensor out = eval::as_saved(raw.select(0, 0));
          t_stylize += seconds_since(ts);
          std::string out_path;
          if (!out_dir.empty()) {
            out_path = (fs::path(out_dir) / (slug(stem(c)) + "__" + slug(stem(s)) + "__" + slug(col.name) + ".png")).string();
            data::save_image(out_path, out);
          }
          const eval::Features f = eval::image_features(encoder_model.params(), encoder_model.config(), out);
          results.push_back({c, s, col.name, out_path, eval::measure(f, cache.features(c, opt.size), cache.features(s, opt.style_size))});
          if (in_panel) panel.back().images.push_back(out);
          progress.update(++done, stem(c) + " x " + stem(s) + " " + col.name);
        }
      }
    progress.finish();
  } else {
    std::vector<std::string> methods_seen;
    for (const eval::Triple& t : triples)
      if (std::find(methods_seen.begin(), methods_seen.end(), t.method) == methods_seen.end()) methods_seen.push_back(t.method);
    for (const std::string& m : methods_seen) panel_columns.push_back(m);
    train::ProgressLine progress("evaluate", static_cast<int64_t>(triples.size()), "image");
    std::map<std::pair<std::string, std::string>, size_t> panel_row_of;
    for (size_t i = 0; i < triples.size(); ++i) {
      const eval::Triple& t = triples[i];
      const Tensor out = data::load_image(t.output, opt.limits);
      // The content at the output's size: the metrics compare them pixel for pixel.
      const Tensor content = data::load_image_sized(
          t.content, data::SizeSpec{data::SizeSpec::exact, out.size(2), out.size(1), 0}, opt.limits);
      // The style as stylize would have sized it for this output, unless a size is given.
      const data::SizeSpec style_spec =
          opt.style_size_given || opt.size_given
              ? opt.style_size
              : data::SizeSpec{data::SizeSpec::shorter_side, 0, 0, std::min(out.size(1), out.size(2))};
      const eval::Features fc = eval::image_features(encoder_model.params(), encoder_model.config(), content);
      const eval::Features f = eval::image_features(encoder_model.params(), encoder_model.config(), out);
      results.push_back({t.content, t.style, t.method, t.output, eval::measure(f, fc, cache.features(t.style, style_spec))});
      if (font) {
        const auto key = std::make_pair(t.content, t.style);
        auto it = panel_row_of.find(key);
        if (it == panel_row_of.end() && static_cast<int64_t>(panel.size()) < panel_rows) {
          it = panel_row_of.emplace(key, panel.size()).first;
          panel.push_back({stem(t.content) + "  x  " + stem(t.style), std::vector<Tensor>(panel_columns.size())});
          panel.back().images[0] = content;
          panel.back().images[1] = cache.image(t.style, style_spec);
        }
        if (it != panel_row_of.end()) {
          const size_t col = 2 + (std::find(methods_seen.begin(), methods_seen.end(), t.method) - methods_seen.begin());
          panel[it->second].images[col] = out;
        }
      }
      progress.update(static_cast<int64_t>(i + 1), stem(t.output));
    }
    progress.finish();
  }

  if (!csv_path.empty()) eval::write_csv(csv_path, results);
  if (!json_path.empty()) eval::write_json(json_path, results);
  if (!panel_path.empty()) data::save_image(panel_path, eval::make_panel(panel_columns, panel, *font, panel_cell));
  std::printf("%s", eval::summary_table(eval::summarize(results)).c_str());
  const double total = seconds_since(t0);
  std::printf("%zu images in %.1f s (stylizing %.1f s, metrics %.1f s)\n", results.size(), total, t_stylize,
              total - t_stylize);
  for (const std::string& p : {csv_path, json_path, panel_path})
    if (!p.empty()) std::printf("wrote %s\n", p.c_str());
  return 0;
}

}  // namespace gs::tools
