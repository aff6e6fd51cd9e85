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
#include "data/model_file.h"
#include "eval/font.h"
#include "eval/metrics.h"
#include "eval/pair_stylizer.h"
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
    "  --summary FILE      the summary as CSV: method,count and the mean of each metric\n"
    "  --out-dir DIR       also save each stylized image, DIR/CONTENT__STYLE__METHOD.png\n"
    "  --panel FILE.png    a labelled grid: rows = pairs, columns = content | style | each method\n"
    "  --panel-rows N      pairs in the panel (6): with folders, different contents and styles first;\n"
    "                      with --triples, the first N pairs of the file\n"
    "  --panel-cell N      cell size in pixels (256)\n"
    "  --font FILE.ttf     the panel's font (" +
    std::string(kDefaultFont) + ")\n";

struct ModelEntry {
  std::string label, path;
  std::unique_ptr<models::Stylizer> model;
  models::GraphOptions gnn;  // the command line's options over the model's recommended settings
  std::string from_model;    // which settings came from the model
};

struct Column {  // one way of stylizing: a model and a method
  std::string name;
  size_t model;  // index into the models
  std::string method;
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
  ImageCache(const eval::FeatureEncoder& encoder, data::ImageLimits limits) : encoder_(encoder), limits_(limits) {}
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
      it = features_.emplace(k, encoder_(image(path, spec))).first;
    return it->second;
  }

 private:
  static std::string key(const std::string& path, const data::SizeSpec& s) {
    return path + "\n" + std::to_string(s.kind) + " " + std::to_string(s.width) + " " + std::to_string(s.height) +
           " " + std::to_string(s.side);
  }
  const eval::FeatureEncoder& encoder_;
  data::ImageLimits limits_;
  std::map<std::string, Tensor> images_;
  std::map<std::string, eval::Features> features_;
};

// The pairs the panel shows, in order: along the diagonals of the content x style grid, so that the
// first rows show different contents and different styles (content-major order would show one photo
// in every style). -> pair (content index, style index) -> panel row.
std::map<std::pair<size_t, size_t>, size_t> panel_pairs(size_t contents, size_t styles, size_t rows) {
  std::map<std::pair<size_t, size_t>, size_t> out;
  for (size_t d = 0; d < styles && out.size() < rows; ++d)
    for (size_t c = 0; c < contents && out.size() < rows; ++c) out.emplace(std::pair{c, (c + d) % styles}, out.size());
  return out;
}

std::string size_text(const data::SizeSpec& s) {
  switch (s.kind) {
    case data::SizeSpec::keep: return "0 (as is)";
    case data::SizeSpec::exact: return std::to_string(s.width) + "x" + std::to_string(s.height);
    case data::SizeSpec::shorter_side: break;
  }
  return std::to_string(s.side) + " (shorter side)";
}

std::string gnn_text(const models::GraphOptions& g) {
  char text[256];
  std::snprintf(text, sizeof text, "p %d, k %d, kc %d, stroke %g, alpha %g, mix %g, deformable %s, aggregator %s, metric %s",
                g.p, g.k, g.kc, double(g.stroke), double(g.alpha), double(g.mix),
                g.deformable ? "on" : "off", g.aggregator == graph::Aggregator::gat ? "gat" : "mean",
                g.metric == graph::Metric::ncc ? "ncc" : "euclidean");
  return text;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string slug(const std::string& s) {
  std::string out;
  for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  return out;
}

// One evaluation: what was asked, the models, and what has been measured so far.
struct Evaluation {
  StylizeOptions opt;
  std::optional<std::string> content_dir, style_dir, triples_path;
  std::vector<std::string> methods;
  std::string out_dir;
  int64_t panel_rows = 6;
  std::optional<eval::Font> font;  // set when a panel is wanted
  std::vector<ModelEntry> models;

  std::vector<eval::Result> results;
  std::vector<std::string> panel_columns{"content", "style"};
  std::vector<eval::PanelRow> panel;
  double t_stylize = 0;
};

// Every content x style pair, stylized with each model and method, then measured.
void evaluate_folders(Evaluation& ev, const std::vector<std::string>& contents, const std::vector<std::string>& styles,
                      const eval::FeatureEncoder& encoder, ImageCache& cache) {
  const StylizeOptions& opt = ev.opt;
  std::vector<Column> columns;
  for (size_t m = 0; m < ev.models.size(); ++m)
    for (const std::string& method : ev.methods)
      columns.push_back({ev.models.size() > 1 ? ev.models[m].label + ":" + method : method, m, method});
  for (const Column& c : columns) ev.panel_columns.push_back(c.name);
  if (std::find(ev.methods.begin(), ev.methods.end(), "gnn") != ev.methods.end())
    for (const ModelEntry& m : ev.models)
      if (!m.from_model.empty()) std::printf("%s: the model's recommended settings: %s\n", m.label.c_str(), m.from_model.c_str());
  std::vector<std::unique_ptr<eval::PairStylizer>> stylizers;
  for (const ModelEntry& m : ev.models) stylizers.push_back(std::make_unique<eval::PairStylizer>(*m.model));
  // relu4_1 of each style image under each model, encoded once; the content's per content image.
  std::map<std::pair<size_t, std::string>, Tensor> style_features;
  train::ProgressLine progress("evaluate", static_cast<int64_t>(contents.size() * styles.size() * columns.size()), "image");
  int64_t done = 0;
  const auto panel_row_of = panel_pairs(contents.size(), styles.size(), ev.font ? static_cast<size_t>(ev.panel_rows) : 0);
  ev.panel.resize(panel_row_of.size());
  for (size_t ci = 0; ci < contents.size(); ++ci) {
    const std::string& c = contents[ci];
    const Tensor content = cache.image(c, opt.size).unsqueeze(0);
    std::vector<Tensor> content_features(ev.models.size());
    for (size_t si = 0; si < styles.size(); ++si) {
      const std::string& s = styles[si];
      const Tensor style = cache.image(s, opt.style_size).unsqueeze(0);
      const auto in_panel = panel_row_of.find({ci, si});
      eval::PanelRow* row = in_panel == panel_row_of.end() ? nullptr : &ev.panel[in_panel->second];
      if (row) *row = {stem(c) + "  x  " + stem(s), {content, style}};
      for (const Column& col : columns) {
        const auto ts = std::chrono::steady_clock::now();
        const eval::PairStylizer& st = *stylizers[col.model];
        Tensor& f_content = content_features[col.model];
        if (!f_content.defined()) f_content = st.encode(content);
        Tensor& f_style = style_features[{col.model, s}];
        if (!f_style.defined()) f_style = st.encode(style);
        const int64_t H = content.size(2), W = content.size(3);
        const Tensor raw = col.method == "adain" ? st.adain(f_content, f_style, opt.adain_alpha(), H, W)
                                                 : st.gnn(f_content, f_style, ev.models[col.model].gnn, H, W);
        const Tensor out = eval::as_saved(raw.select(0, 0));
        ev.t_stylize += seconds_since(ts);
        std::string out_path;
        if (!ev.out_dir.empty()) {
          out_path = (fs::path(ev.out_dir) / (slug(stem(c)) + "__" + slug(stem(s)) + "__" + slug(col.name) + ".png")).string();
          data::save_image(out_path, out);
        }
        ev.results.push_back({c, s, col.name, out_path,
                              eval::measure(encoder(out), cache.features(c, opt.size), cache.features(s, opt.style_size))});
        if (row) row->images.push_back(out);
        progress.update(++done, stem(c) + " x " + stem(s) + " " + col.name);
      }
    }
  }
  progress.finish();
}

// Existing images, each measured against its content and style.
void evaluate_triples(Evaluation& ev, const std::vector<eval::Triple>& triples, const eval::FeatureEncoder& encoder,
                      ImageCache& cache) {
  const StylizeOptions& opt = ev.opt;
  std::vector<std::string> methods_seen;
  for (const eval::Triple& t : triples)
    if (std::find(methods_seen.begin(), methods_seen.end(), t.method) == methods_seen.end()) methods_seen.push_back(t.method);
  for (const std::string& m : methods_seen) ev.panel_columns.push_back(m);
  train::ProgressLine progress("evaluate", static_cast<int64_t>(triples.size()), "image");
  std::map<std::pair<std::string, std::string>, size_t> panel_row_of;
  for (size_t i = 0; i < triples.size(); ++i) {
    const eval::Triple& t = triples[i];
    const Tensor out = data::load_image(t.output, opt.limits);
    // The content at the output's size: the metrics compare them pixel for pixel.
    const data::SizeSpec content_spec{data::SizeSpec::exact, out.size(2), out.size(1), 0};
    // The style as stylize would have sized it for this output, unless a size is given.
    const data::SizeSpec style_spec =
        opt.style_size_given || opt.size_given
            ? opt.style_size
            : data::SizeSpec{data::SizeSpec::shorter_side, 0, 0, std::min(out.size(1), out.size(2))};
    ev.results.push_back({t.content, t.style, t.method, t.output,
                          eval::measure(encoder(out), cache.features(t.content, content_spec),
                                        cache.features(t.style, style_spec))});
    if (ev.font) {
      auto it = panel_row_of.find({t.content, t.style});
      if (it == panel_row_of.end() && static_cast<int64_t>(ev.panel.size()) < ev.panel_rows) {
        it = panel_row_of.emplace(std::pair{t.content, t.style}, ev.panel.size()).first;
        ev.panel.push_back({stem(t.content) + "  x  " + stem(t.style), std::vector<Tensor>(ev.panel_columns.size())});
        ev.panel.back().images[0] = cache.image(t.content, content_spec);
        ev.panel.back().images[1] = cache.image(t.style, style_spec);
      }
      if (it != panel_row_of.end()) {
        const size_t col = 2 + (std::find(methods_seen.begin(), methods_seen.end(), t.method) - methods_seen.begin());
        ev.panel[it->second].images[col] = out;
      }
    }
    progress.update(static_cast<int64_t>(i + 1), stem(t.output));
  }
  progress.finish();
}

// How the results were made, for the JSON file.
eval::Settings json_settings(const Evaluation& ev) {
  const StylizeOptions& opt = ev.opt;
  eval::Settings settings;
  if (ev.triples_path) {
    settings.push_back({"triples", *ev.triples_path});
  } else {
    settings.push_back({"content", *ev.content_dir});
    settings.push_back({"style", *ev.style_dir});
    settings.push_back({"size", size_text(opt.size)});
    std::string methods;
    for (const std::string& m : ev.methods) methods += (methods.empty() ? "" : ", ") + m;
    settings.push_back({"methods", methods});
  }
  settings.push_back({"style size", ev.triples_path && !opt.size_given && !opt.style_size_given
                                        ? std::string("the output's shorter side")
                                        : size_text(opt.style_size)});
  settings.push_back({"features", "the encoder of " + ev.models[0].path});
  for (const ModelEntry& m : ev.models) {
    settings.push_back({"model " + m.label, m.path});
    if (ev.triples_path) continue;
    settings.push_back({"gnn " + m.label, gnn_text(m.gnn) + (m.from_model.empty() ? "" : "; from the model: " + m.from_model)});
    char alpha[32];
    std::snprintf(alpha, sizeof alpha, "alpha %g", double(opt.adain_alpha()));
    settings.push_back({"adain " + m.label, alpha});
  }
  return settings;
}

}  // namespace

int run_evaluate(const std::vector<std::string>& argv) {
  Args args(argv, kUsage);
  if (args.help()) {
    std::printf("%s", kUsage.c_str());
    return 0;
  }
  Evaluation ev;
  const std::vector<std::string> model_args = args.values("--model");
  ev.content_dir = args.value("--content");
  ev.style_dir = args.value("--style");
  ev.triples_path = args.value("--triples");
  ev.methods = args.values("--method");
  ev.opt = parse_stylize_options(args, "512");
  const std::string csv_path = args.get("--csv", "");
  const std::string json_path = args.get("--json", "");
  const std::string summary_path = args.get("--summary", "");
  ev.out_dir = args.get("--out-dir", "");
  const std::string panel_path = args.get("--panel", "");
  ev.panel_rows = args.get_int("--panel-rows", 6, 1, 1000);
  const int64_t panel_cell = args.get_int("--panel-cell", 256, 32, 2048);
  const std::string font_path = args.get("--font", kDefaultFont);
  args.finish();

  if (model_args.empty()) throw std::invalid_argument("option --model is required (see --help)");
  if (ev.triples_path && (ev.content_dir || ev.style_dir))
    throw std::invalid_argument("--triples measures existing images: give it without --content and --style");
  if (!ev.triples_path && (!ev.content_dir || !ev.style_dir))
    throw std::invalid_argument("give --content DIR and --style DIR, or --triples FILE.csv (see --help)");
  if (ev.triples_path && (!ev.methods.empty() || !ev.out_dir.empty() || ev.opt.stylize_given))
    throw std::invalid_argument(
        "--method, --out-dir, --alpha, --mix and the GNN controls are for stylizing: with --triples the images "
        "are made already");
  if (ev.methods.empty()) ev.methods = {"gnn", "adain"};
  for (const std::string& m : ev.methods)
    if (m != "gnn" && m != "adain") throw std::invalid_argument("option --method " + m + ": expected gnn | adain");
  if (!ev.out_dir.empty() && !fs::is_directory(ev.out_dir))
    throw std::invalid_argument("--out-dir " + ev.out_dir + ": no such folder");
  // Everything that can be checked before the long work is: the inputs, the font, the models.
  if (!panel_path.empty()) ev.font.emplace(font_path);
  std::vector<eval::Triple> triples;
  std::vector<std::string> contents, styles;
  if (ev.triples_path) {
    triples = eval::read_triples(*ev.triples_path);
  } else {
    contents = data::list_images(*ev.content_dir, "--content");
    styles = data::list_images(*ev.style_dir, "--style");
  }
  for (const std::string& a : model_args) {
    auto [label, path] = split_label(a);
    if (!fs::exists(path)) throw std::runtime_error("--model " + path + ": no such file");
    for (const ModelEntry& m : ev.models)
      if (m.label == label) throw std::invalid_argument("--model: two models are labelled '" + label + "' (use LABEL=FILE)");
    ModelEntry e{label, path, std::make_unique<models::Stylizer>(models::Stylizer::load(path)), {}, ""};
    const data::RecommendedSettings recommended = data::load_recommended_settings(path);
    e.gnn = ev.opt.graph_options(e.model->config(), recommended);
    e.from_model = ev.opt.from_model(recommended);
    ev.models.push_back(std::move(e));
  }

  const auto t0 = std::chrono::steady_clock::now();
  const eval::FeatureEncoder encoder(ev.models[0].model->params(), ev.models[0].model->config());
  ImageCache cache(encoder, ev.opt.limits);
  // A bad image stops the run now, not after minutes of work: folders' images are decoded up front
  // (they are kept anyway), the triples' files looked for.
  for (const std::string& c : contents) cache.image(c, ev.opt.size);
  for (const std::string& st : styles) cache.image(st, ev.opt.style_size);
  for (const eval::Triple& t : triples)
    for (const std::string* f : {&t.content, &t.style, &t.output})
      if (!fs::is_regular_file(*f))
        throw std::runtime_error(*ev.triples_path + " line " + std::to_string(t.line) + ": " + *f +
                                 (fs::exists(*f) ? ": not a file" : ": no such file"));
  if (ev.triples_path)
    evaluate_triples(ev, triples, encoder, cache);
  else
    evaluate_folders(ev, contents, styles, encoder, cache);

  const std::vector<eval::MethodSummary> summary = eval::summarize(ev.results);
  if (!csv_path.empty()) eval::write_csv(csv_path, ev.results);
  if (!json_path.empty()) eval::write_json(json_path, ev.results, json_settings(ev));
  if (!summary_path.empty()) eval::write_summary_csv(summary_path, summary);
  if (!panel_path.empty()) data::save_image(panel_path, eval::make_panel(ev.panel_columns, ev.panel, *ev.font, panel_cell));
  std::printf("%s", eval::summary_table(summary).c_str());
  const double total = seconds_since(t0);
  std::printf("%zu images in %.1f s (stylizing %.1f s, metrics %.1f s)\n", ev.results.size(), total, ev.t_stylize,
              total - ev.t_stylize);
  for (const std::string& p : {csv_path, json_path, summary_path, panel_path})
    if (!p.empty()) std::printf("wrote %s\n", p.c_str());
  return 0;
}

}  // namespace gs::tools
