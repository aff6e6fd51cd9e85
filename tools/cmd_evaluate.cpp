// graphstyle evaluate: quality metrics of stylized images (graphstyle/quality.hpp), for folders of
// content and style images stylized here with one or more methods and models, or for existing images.
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

#include <graphstyle/graphstyle.hpp>

#include "tools/args.h"
#include "tools/evaluate/report.h"
#include "tools/evaluate/triples.h"
#include "tools/isolated.h"
#include "tools/progress_line.h"
#include "tools/stylize_options.h"

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
  graphstyle::Model model;
  graphstyle::StylizeOptions gnn, adain;  // the command line's options over the model's defaults
  std::string from_model;                 // which settings came from the model
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
  ImageCache(const graphstyle::QualityMeter& meter, graphstyle::ImageLimits limits) : meter_(meter), limits_(limits) {}
  // `size`: a form of graphstyle::sized.
  const graphstyle::Image& image(const std::string& path, const std::string& size) {
    auto it = images_.find({path, size});
    if (it == images_.end()) it = images_.emplace(std::pair{path, size}, load_sized(path, size, limits_)).first;
    return it->second;
  }
  const graphstyle::QualityFeatures& features(const std::string& path, const std::string& size) {
    auto it = features_.find({path, size});
    if (it == features_.end()) it = features_.emplace(std::pair{path, size}, meter_.features(image(path, size))).first;
    return it->second;
  }

 private:
  const graphstyle::QualityMeter& meter_;
  graphstyle::ImageLimits limits_;
  std::map<std::pair<std::string, std::string>, graphstyle::Image> images_;
  std::map<std::pair<std::string, std::string>, graphstyle::QualityFeatures> features_;
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

// A size form as the JSON settings say it: "0 (as is)", "320x240", "512 (shorter side)".
std::string size_text(const std::string& size) {
  const size_t x = size.find('x');
  if (x != std::string::npos) return std::to_string(std::stoll(size.substr(0, x))) + "x" + std::to_string(std::stoll(size.substr(x + 1)));
  const long long side = std::stoll(size);
  return side == 0 ? "0 (as is)" : std::to_string(side) + " (shorter side)";
}

std::string gnn_text(const graphstyle::StylizeOptions& g) {
  char text[256];
  std::snprintf(text, sizeof text, "p %d, k %d, kc %d, stroke %g, alpha %g, mix %g, deformable %s, aggregator %s, metric %s",
                g.patch, g.k, g.kc, double(g.stroke), double(g.alpha), double(g.mix), g.deformable ? "on" : "off",
                graphstyle::to_string(g.aggregator),
                g.metric == graphstyle::Metric::ncc ? "ncc" : "euclidean");
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
  std::optional<graphstyle::Font> font;  // set when a panel is wanted
  std::vector<ModelEntry> models;

  std::vector<Result> results;
  std::vector<std::string> panel_columns{"content", "style"};
  std::vector<graphstyle::PanelRow> panel;
  double t_stylize = 0;
};

// Every content x style pair, stylized with each model and method, then measured.
void evaluate_folders(Evaluation& ev, const std::vector<std::string>& contents, const std::vector<std::string>& styles,
                      const graphstyle::QualityMeter& meter, ImageCache& cache) {
  const StylizeOptions& opt = ev.opt;
  std::vector<Column> columns;
  for (size_t m = 0; m < ev.models.size(); ++m)
    for (const std::string& method : ev.methods)
      columns.push_back({ev.models.size() > 1 ? ev.models[m].label + ":" + method : method, m, method});
  for (const Column& c : columns) ev.panel_columns.push_back(c.name);
  if (std::find(ev.methods.begin(), ev.methods.end(), "gnn") != ev.methods.end())
    for (const ModelEntry& m : ev.models)
      if (!m.from_model.empty()) std::printf("%s: the model's recommended settings: %s\n", m.label.c_str(), m.from_model.c_str());
  std::vector<graphstyle::Context> contexts(ev.models.size());  // one per model: each keeps its weights laid out
  // Each style image encoded once per model, for all contents and methods.
  std::map<std::pair<size_t, std::string>, graphstyle::StyleFeatures> style_features;
  ProgressLine progress("evaluate", static_cast<int64_t>(contents.size() * styles.size() * columns.size()), "image");
  int64_t done = 0;
  const auto panel_row_of = panel_pairs(contents.size(), styles.size(), ev.font ? static_cast<size_t>(ev.panel_rows) : 0);
  ev.panel.resize(panel_row_of.size());
  for (size_t ci = 0; ci < contents.size(); ++ci) {
    const std::string& c = contents[ci];
    const graphstyle::Image& content = cache.image(c, opt.size);
    for (size_t si = 0; si < styles.size(); ++si) {
      const std::string& s = styles[si];
      const graphstyle::Image& style = cache.image(s, opt.style_size);
      const auto in_panel = panel_row_of.find({ci, si});
      graphstyle::PanelRow* row = in_panel == panel_row_of.end() ? nullptr : &ev.panel[in_panel->second];
      if (row) *row = {stem(c) + "  x  " + stem(s), {content, style}};
      for (const Column& col : columns) {
        const auto ts = std::chrono::steady_clock::now();
        const ModelEntry& model = ev.models[col.model];
        const graphstyle::StylizeOptions& o = col.method == "adain" ? model.adain : model.gnn;
        graphstyle::Context& context = contexts[col.model];
        graphstyle::StyleFeatures& f_style = style_features[{col.model, s}];
        if (f_style.empty()) f_style = model.model.encode_style(context, style, o);
        // As saved to a file: the metrics of the image equal those of the file read back.
        const graphstyle::Image out = graphstyle::as_saved(model.model.stylize(context, content, f_style, o));
        ev.t_stylize += seconds_since(ts);
        std::string out_path;
        if (!ev.out_dir.empty()) {
          out_path = (fs::path(ev.out_dir) / (slug(stem(c)) + "__" + slug(stem(s)) + "__" + slug(col.name) + ".png")).string();
          graphstyle::save_image(out_path, out);
        }
        ev.results.push_back({c, s, col.name, out_path,
                              meter.measure(meter.features(out), cache.features(c, opt.size),
                                            cache.features(s, opt.style_size))});
        if (row) row->images.push_back(out);
        progress.update(++done, stem(c) + " x " + stem(s) + " " + col.name);
      }
    }
  }
  progress.finish();
}

// Existing images, each measured against its content and style.
void evaluate_triples(Evaluation& ev, const std::vector<Triple>& triples, const graphstyle::QualityMeter& meter,
                      ImageCache& cache) {
  const StylizeOptions& opt = ev.opt;
  std::vector<std::string> methods_seen;
  for (const Triple& t : triples)
    if (std::find(methods_seen.begin(), methods_seen.end(), t.method) == methods_seen.end()) methods_seen.push_back(t.method);
  for (const std::string& m : methods_seen) ev.panel_columns.push_back(m);
  ProgressLine progress("evaluate", static_cast<int64_t>(triples.size()), "image");
  // The panel's pairs chosen as for folders, over the contents and styles in the order they first appear.
  std::vector<std::string> contents, styles;
  for (const Triple& t : triples) {
    if (std::find(contents.begin(), contents.end(), t.content) == contents.end()) contents.push_back(t.content);
    if (std::find(styles.begin(), styles.end(), t.style) == styles.end()) styles.push_back(t.style);
  }
  std::map<std::pair<std::string, std::string>, size_t> panel_row_of;
  if (ev.font)
    for (const auto& [pair, row] : panel_pairs(contents.size(), styles.size(), static_cast<size_t>(ev.panel_rows)))
      panel_row_of[{contents[pair.first], styles[pair.second]}] = row;
  ev.panel.resize(panel_row_of.size());
  for (size_t i = 0; i < triples.size(); ++i) {
    const Triple& t = triples[i];
    const graphstyle::Image out = graphstyle::load_image(t.output, opt.limits);
    // The content at the output's size: the metrics compare them pixel for pixel.
    const std::string content_spec = std::to_string(out.width) + "x" + std::to_string(out.height);
    // The style as stylize would have sized it for this output, unless a size is given.
    const std::string style_spec = opt.style_size_given || opt.size_given ? opt.style_size
                                                                          : std::to_string(std::min(out.width, out.height));
    ev.results.push_back({t.content, t.style, t.method, t.output,
                          meter.measure(meter.features(out), cache.features(t.content, content_spec),
                                        cache.features(t.style, style_spec))});
    const auto it = panel_row_of.find({t.content, t.style});
    if (it != panel_row_of.end()) {
      graphstyle::PanelRow& row = ev.panel[it->second];
      if (row.images.empty()) {
        row = {stem(t.content) + "  x  " + stem(t.style), std::vector<graphstyle::Image>(ev.panel_columns.size())};
        row.images[0] = cache.image(t.content, content_spec);
        row.images[1] = cache.image(t.style, style_spec);
      }
      const size_t col = 2 + (std::find(methods_seen.begin(), methods_seen.end(), t.method) - methods_seen.begin());
      row.images[col] = out;
    }
    progress.update(static_cast<int64_t>(i + 1), stem(t.output));
  }
  progress.finish();
}

// How the results were made, for the JSON file.
Settings json_settings(const Evaluation& ev) {
  const StylizeOptions& opt = ev.opt;
  Settings settings;
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
    std::snprintf(alpha, sizeof alpha, "alpha %g", double(m.adain.alpha));
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
  std::vector<Triple> triples;
  std::vector<std::string> contents, styles;
  if (ev.triples_path) {
    triples = read_triples(*ev.triples_path);
  } else {
    contents = graphstyle::list_images(*ev.content_dir, "--content");
    styles = graphstyle::list_images(*ev.style_dir, "--style");
  }
  for (const std::string& a : model_args) {
    auto [label, path] = split_label(a);
    if (!fs::exists(path)) throw std::runtime_error("--model " + path + ": no such file");
    for (const auto& [option, out] : {std::pair{"--csv", csv_path}, {"--json", json_path}, {"--panel", panel_path}})
      if (!out.empty()) refuse_output_over_input(option, out, {{"--model", path}});
    // Model files come from anyone: a first read in a child turns a crash of libhdf5 into an error.
    check_in_child(path, [&] { graphstyle::Model::load(path); });
    for (const ModelEntry& m : ev.models)
      if (m.label == label) throw std::invalid_argument("--model: two models are labelled '" + label + "' (use LABEL=FILE)");
    graphstyle::Model model = graphstyle::Model::load(path);
    ev.models.push_back({label, path, model, ev.opt.for_model(model, graphstyle::Method::gnn),
                         ev.opt.for_model(model, graphstyle::Method::adain), ev.opt.from_model(model)});
  }

  const auto t0 = std::chrono::steady_clock::now();
  const graphstyle::QualityMeter meter(ev.models[0].model);
  ImageCache cache(meter, ev.opt.limits);
  // A bad image stops the run now, not after minutes of work: folders' images are decoded up front
  // (they are kept anyway), the triples' files looked for.
  for (const std::string& c : contents) cache.image(c, ev.opt.size);
  for (const std::string& st : styles) cache.image(st, ev.opt.style_size);
  for (const Triple& t : triples)
    for (const std::string* f : {&t.content, &t.style, &t.output})
      if (!fs::is_regular_file(*f))
        throw std::runtime_error(*ev.triples_path + " line " + std::to_string(t.line) + ": " + *f +
                                 (fs::exists(*f) ? ": not a file" : ": no such file"));
  if (ev.triples_path)
    evaluate_triples(ev, triples, meter, cache);
  else
    evaluate_folders(ev, contents, styles, meter, cache);

  const std::vector<MethodSummary> summary = summarize(ev.results);
  if (!csv_path.empty()) write_csv(csv_path, ev.results);
  if (!json_path.empty()) write_json(json_path, ev.results, json_settings(ev));
  if (!summary_path.empty()) write_summary_csv(summary_path, summary);
  if (!panel_path.empty())
    graphstyle::save_image(panel_path, graphstyle::make_panel(ev.panel_columns, ev.panel, *ev.font, static_cast<int>(panel_cell)));
  std::printf("%s", summary_table(summary).c_str());
  const double total = seconds_since(t0);
  std::printf("%zu images in %.1f s (stylizing %.1f s, metrics %.1f s)\n", ev.results.size(), total, ev.t_stylize,
              total - ev.t_stylize);
  for (const std::string& p : {csv_path, json_path, summary_path, panel_path})
    if (!p.empty()) std::printf("wrote %s\n", p.c_str());
  return 0;
}

}  // namespace gs::tools
