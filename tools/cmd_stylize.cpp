// graphstyle stylize: content images in the style of style images, through the public API. One
// pair writes --out; many (folders, repeated --content / --style) write into --out-dir, with the
// model loaded once and each style encoded once for all contents.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <graphstyle/graphstyle.hpp>

#include "tools/args.h"
#include "tools/isolated.h"
#include "tools/progress_line.h"
#include "tools/stylize_inputs.h"
#include "tools/stylize_options.h"

namespace gs::tools {

namespace {
const char* kLegendFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";  // Debian's fonts-dejavu-core
const std::string kUsage =
    "usage: graphstyle stylize --model MODEL.h5 --content IMAGE|DIR ... --style IMAGE|DIR ...\n"
    "                          (--out IMAGE | --out-dir DIR) [options]\n"
    "Inputs and outputs:\n"
    "  --model M.h5        a model file (graphstyle convert) or a training checkpoint\n"
    "  --content PATH      an image or a folder (searched recursively); repeatable\n"
    "  --style PATH        an image or a folder; repeatable. Every content is stylized with every style,\n"
    "                      unless --style-weights or --mask combine the styles into one output\n"
    "  --out IMAGE         the output, for one content and one output\n"
    "  --out-dir DIR       outputs <content>_<style>.<ext> (blend: <content>_<s1>+<s2>, mask: <content>_mask)\n"
    "  --ext png|jpg       the --out-dir format (png)\n"
    "  --quality Q         JPEG quality 1..100 (95)\n"
    "Styles and colours:\n"
    "  --method adain|gnn  AdaIN, or the GNN stylizer (gnn)\n"
    "  --style-weights W1,W2,...  blend the --style images with these weights (one output per content)\n"
    "  --mask M.png        a style per region: the mask's colours or grey levels, darkest first, take the\n"
    "                      --style images in order; --style none keeps the photo in its region\n"
    "  --preserve-color    give the style the content's colours first (RGB mean and covariance)\n"
    "  --luminance-only    stylize the luminance only and keep the content's colours\n"
    "  --temporal on|off   the contents are video frames in name order: each frame's style edges lean\n"
    "                      towards the previous frame's, and each output towards the previous output\n"
    "                      along the frames' optical flow, which damps flicker (GNN, one output per frame) (off)\n"
    "  --temporal-smoothing X  the previous output's weight in that pull, in [0, 1) (0.5; 0: edges only)\n"
    "  --seed N            accepted for scripts; stylization is deterministic (no randomness enters)\n" +
    stylize_options_usage("512") +
    "Inspection (--method gnn, one content and one style):\n"
    "  --dump-graph F.h5   node positions, inter/intra edges with NCC scores, attention, scales\n"
    "  --explain-dir DIR   scale_map.png, attention_entropy.png, correspondence.png (content-sized)\n"
    "  --profile           where the time went, on stderr at the end (also GRAPHSTYLE_PROFILE=1): per op\n"
    "                      kind, oneDNN kernels, stages (graphstyle/profile.hpp)\n";

// The library names its fields; on the command line each is the flag of the same name.
[[noreturn]] void rethrow_as_flag(const graphstyle::OptionError& e) {
  for (const char* field : {"k", "kc", "patch", "stroke", "alpha", "mix", "threads"})
    if (e.field() == field) throw std::invalid_argument(std::string("--") + e.what());
  throw;
}

enum class Colour { keep_style, preserve, luminance };

// The whole run: the model, the options, and each style loaded and encoded at most once.
class Stylizer {
 public:
  Stylizer(const graphstyle::Model& model, const graphstyle::StylizeOptions& o, const StylizeOptions& opt,
           Colour colour)
      : model_(model), o_(o), opt_(opt), colour_(colour) {}

  // Stage and percentage on a terminal, for one long stylization (cleared when it ends).
  void show_progress() {
    if (!isatty(STDERR_FILENO)) return;
    o_.progress = [](const char* stage, double fraction) {
      if (fraction >= 1.0)
        std::fprintf(stderr, "\r\033[K");
      else
        std::fprintf(stderr, "\rstylize: %s (%.0f%%)\033[K", stage, 100 * fraction);
      std::fflush(stderr);
    };
  }

  // The style image as loaded and sized (cached; throws the load error every time it is asked).
  const graphstyle::Image& style_image(const std::string& path) {
    auto it = images_.find(path);
    if (it == images_.end()) it = images_.emplace(path, load_sized(path, opt_.style_size, opt_.limits, "--style-size")).first;
    return it->second;
  }

  // The style as the graph sees it for this content: encoded once, unless its colours follow the content's.
  graphstyle::StyleFeatures style_for(const std::string& path, const graphstyle::Image& content) {
    const graphstyle::Image& image = style_image(path);
    if (o_.progress) o_.progress("encode style", 0.0);
    if (colour_ == Colour::preserve) return model_.encode_style(context_, graphstyle::match_colors(image, content), o_);
    if (colour_ == Colour::luminance) return model_.encode_style(context_, graphstyle::match_luminance(image, content), o_);
    auto it = encoded_.find(path);
    if (it == encoded_.end()) {
      model_.check(o_, 8 * 64, 8 * 64, image.width, image.height);  // a style too small fails before encoding
      it = encoded_.emplace(path, model_.encode_style(context_, image, o_)).first;
    }
    return it->second;
  }

  // The next frame of a video in one style; says the share of style edges that changed and the share
  // of pixels pulled towards the previous output.
  graphstyle::Image run_frame(const graphstyle::Image& frame, const std::string& style, float smoothing,
                              double* changed, double* smoothed) {
    try {
      using graphstyle::FrameSequence;
      FrameSequence& seq = sequences_.try_emplace(style, FrameSequence::default_stickiness, smoothing).first->second;
      graphstyle::Image out = model_.stylize_frame(context_, frame, style_for(style, frame), o_, seq);
      *changed = seq.changed_edges();
      *smoothed = seq.smoothed_share();
      return out;
    } catch (const graphstyle::OptionError& e) {
      rethrow_as_flag(e);
    }
  }

  // styles: paths ("none" only with labels); weights for a blend, labels for a mask.
  graphstyle::Image run(const graphstyle::Image& content_in, const std::vector<std::string>& styles,
                        const std::vector<float>& weights, const std::vector<int>* labels,
                        graphstyle::Trace* trace = nullptr) {
    const graphstyle::Image content =
        colour_ == Colour::luminance ? graphstyle::to_luminance(content_in) : content_in;
    try {
      graphstyle::Image out;
      if (styles.size() == 1 && !labels) {
        model_.check(o_, content.width, content.height, style_image(styles[0]).width, style_image(styles[0]).height);
        out = model_.stylize(context_, content, style_for(styles[0], content_in), o_, trace);
      } else {
        graphstyle::StyleSet set;
        std::vector<int> label_of_style;  // --style index -> StyleSet index (-1: none)
        for (const std::string& s : styles) {
          label_of_style.push_back(s == "none" ? -1 : static_cast<int>(set.styles.size()));
          if (s != "none") set.styles.push_back(style_for(s, content_in));
        }
        if (labels) {
          set.labels.resize(labels->size());
          for (size_t i = 0; i < labels->size(); ++i) set.labels[i] = label_of_style[(*labels)[i]];
        } else {
          set.weights = weights;
        }
        out = model_.stylize_styles(context_, content, set, o_);
      }
      return colour_ == Colour::luminance ? graphstyle::with_chrominance(out, content_in) : out;
    } catch (const graphstyle::OptionError& e) {
      rethrow_as_flag(e);
    }
  }

 private:
  const graphstyle::Model& model_;
  graphstyle::StylizeOptions o_;
  const StylizeOptions& opt_;
  Colour colour_;
  graphstyle::Context context_;
  std::map<std::string, graphstyle::Image> images_;
  std::map<std::string, graphstyle::StyleFeatures> encoded_;
  std::map<std::string, graphstyle::FrameSequence> sequences_;  // --temporal: one per style
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string with_slash(const std::string& dir) { return dir.empty() || dir.back() == '/' ? dir : dir + "/"; }
}  // namespace

int run_stylize(const std::vector<std::string>& argv) {
  Args args(argv, kUsage);
  if (args.help()) {
    std::printf("%s", kUsage.c_str());
    return 0;
  }
  const std::string model_path = args.required("--model");
  const std::vector<std::string> content_args = args.values("--content");
  const std::vector<std::string> style_args = args.values("--style");
  if (content_args.empty()) throw std::invalid_argument("option --content is required (see --help)");
  if (style_args.empty()) throw std::invalid_argument("option --style is required (see --help)");
  const std::string out_path = args.get("--out", "");
  const std::string out_dir = args.get("--out-dir", "");
  const std::string ext = args.get_choice("--ext", "png", {"png", "jpg"});
  const std::string weights_text = args.get("--style-weights", "");
  const std::string mask_path = args.get("--mask", "");
  const bool preserve = args.flag("--preserve-color"), luminance = args.flag("--luminance-only");
  const bool temporal = args.get_on_off("--temporal", false);
  const float smoothing = static_cast<float>(args.get_double("--temporal-smoothing", graphstyle::FrameSequence::default_smoothing, 0.0, 0.999));
  if (args.value("--temporal-smoothing") && !temporal)
    throw std::invalid_argument("--temporal-smoothing needs --temporal on");
  args.get_int("--seed", 0, 0, INT64_MAX);
  const std::string method = args.get_choice("--method", "gnn", {"gnn", "adain"});
  for (const char* name : {"--k", "--kc", "--patch", "--stroke", "--deformable", "--aggregator", "--metric", "--knn", "--mix"})
    if (method == "adain" && args.value(name))
      throw std::invalid_argument(std::string(name) + " is a GNN option: it needs --method gnn");
  // The model file comes from anyone: a first read in a child turns a crash of libhdf5 into an error.
  check_in_child(model_path, [&] { graphstyle::Model::load(model_path); });
  const StylizeOptions opt = parse_stylize_options(args, "512");
  const int quality = static_cast<int>(args.get_int("--quality", 95, 1, 100));
  const std::string dump_path = args.get("--dump-graph", "");
  const std::string explain_dir = args.get("--explain-dir", "");
  const char* env_profile = std::getenv("GRAPHSTYLE_PROFILE");
  const bool profile_run = args.flag("--profile") || (env_profile && std::string(env_profile) == "1");
  args.finish();

  if ((!dump_path.empty() || !explain_dir.empty()) && method != "gnn")
    throw std::invalid_argument("--dump-graph and --explain-dir need --method gnn");
  if (preserve && luminance) throw std::invalid_argument("--preserve-color and --luminance-only exclude each other");
  if (!weights_text.empty() && !mask_path.empty())
    throw std::invalid_argument("--style-weights and --mask exclude each other (a mask gives each region one style)");
  if (temporal && (method != "gnn" || !weights_text.empty() || !mask_path.empty() || preserve || luminance))
    throw std::invalid_argument(
        "--temporal on needs --method gnn and one style per output, as it is (no --style-weights, --mask, "
        "--preserve-color or --luminance-only)");
  if (out_path.empty() == out_dir.empty()) throw std::invalid_argument("give one of --out IMAGE and --out-dir DIR");
  if (!out_dir.empty() && std::filesystem::exists(out_dir) && !std::filesystem::is_directory(out_dir))
    throw std::invalid_argument("--out-dir " + out_dir + ": exists and is not a folder");
  if (!out_path.empty() && std::filesystem::is_directory(out_path))
    throw std::invalid_argument("--out " + out_path + ": is a folder (use --out-dir for a folder of outputs)");

  const std::vector<std::string> contents = expand_inputs(content_args, "--content", false);
  const bool combine = !weights_text.empty() || !mask_path.empty();
  const std::vector<std::string> styles = expand_inputs(style_args, "--style", !mask_path.empty());
  const std::vector<float> weights = weights_text.empty() ? std::vector<float>{} : parse_weights(weights_text, styles.size());
  if (combine && styles.size() < 2 && weights_text.empty() == false)
    throw std::invalid_argument("--style-weights needs two or more --style images");
  std::optional<graphstyle::Image> mask;
  if (!mask_path.empty()) mask = graphstyle::load_image(mask_path);

  const size_t outputs = combine ? contents.size() : contents.size() * styles.size();
  if (!out_path.empty() && outputs != 1)
    throw std::invalid_argument("--out names one file but this run writes " + std::to_string(outputs) +
                                " images: use --out-dir DIR");
  const bool inspect = !dump_path.empty() || !explain_dir.empty();
  if (inspect && (outputs != 1 || combine))
    throw std::invalid_argument("--dump-graph and --explain-dir need one content and one style");
  std::vector<Job> jobs = out_path.empty() ? plan_jobs(contents, styles, combine, !mask_path.empty(), out_dir, ext)
                                           : std::vector<Job>{Job{0, {}, out_path}};
  if (!out_path.empty())
    for (size_t s = 0; s < styles.size(); ++s) jobs[0].styles.push_back(s);
  std::vector<std::pair<std::string, std::string>> inputs = {{"--model", model_path}, {"--mask", mask_path}};
  for (const std::string& c : contents) inputs.push_back({"--content", c});
  for (const std::string& s : styles) inputs.push_back({"--style", s});
  for (const Job& job : jobs) refuse_output_over_input(out_path.empty() ? "--out-dir" : "--out", job.out, inputs);
  if (!dump_path.empty()) refuse_output_over_input("--dump-graph", dump_path, inputs);
  // The legends' font is checked first: a missing one fails before the long work.
  if (!explain_dir.empty() && !std::ifstream(kLegendFont)) throw std::runtime_error(std::string(kLegendFont) + ": cannot open the font file");
  if (!out_dir.empty()) std::filesystem::create_directories(out_dir);

  const auto t0 = std::chrono::steady_clock::now();
  const graphstyle::Model model = graphstyle::Model::load(model_path);
  graphstyle::StylizeOptions o = opt.for_model(model, method == "gnn" ? graphstyle::Method::gnn : graphstyle::Method::adain);
  if (method == "gnn") o.trim_heap = true;  // a one-shot process: memory counts more than keeping the heap warm
  graphstyle::Profile profile;
  if (profile_run) o.profile = &profile;
  const auto print_profile = [&] {
    if (profile_run) std::fprintf(stderr, "profile:\n%s", profile.table().c_str());
  };
  const Colour colour = preserve ? Colour::preserve : luminance ? Colour::luminance : Colour::keep_style;
  Stylizer stylizer(model, o, opt, colour);
  if (const std::string note = graphstyle::precision_note(o.precision); !note.empty())
    std::fprintf(stderr, "graphstyle stylize: %s\n", note.c_str());
  const std::string from_model = opt.from_model(model);
  if (method == "gnn" && !from_model.empty()) std::printf("the model's recommended settings: %s\n", from_model.c_str());

  if (!out_path.empty()) {  // one output: any error is the run's error
    const graphstyle::Image content = load_sized(contents[0], opt.size, opt.limits);
    for (const std::string& s : styles)
      if (s != "none") stylizer.style_image(s);
    const std::vector<int> labels =
        mask ? mask_labels(*mask, mask_path, static_cast<int>(styles.size()), content.width, content.height)
             : std::vector<int>{};
    const double t_load = seconds_since(t0);
    stylizer.show_progress();
    graphstyle::Trace trace;
    const graphstyle::Image out =
        stylizer.run(content, styles, weights, mask ? &labels : nullptr, inspect ? &trace : nullptr);
    const double t_run = seconds_since(t0) - t_load;
    graphstyle::save_image(out_path, out, quality);
    if (!dump_path.empty()) trace.save_graph(dump_path);
    if (!explain_dir.empty()) trace.write_explain_dir(explain_dir, kLegendFont);
    if (!explain_dir.empty())
      std::printf("explain images: %s/{scale_map,attention_entropy,correspondence}.png\n", explain_dir.c_str());
    if (!dump_path.empty()) std::printf("graph dump: %s\n", dump_path.c_str());
    std::printf("content %dx%d; load %.2fs %s %.2fs -> %s\n", content.width, content.height, t_load, method.c_str(),
                t_run, out_path.c_str());
    print_profile();
    return 0;
  }

  // Many outputs: a bad file is reported and skipped; the summary says what failed.
  ProgressLine progress("stylize", static_cast<int64_t>(jobs.size()), "img");
  size_t done = 0, failed = 0;
  double changed_sum = 0, smoothed_sum = 0;  // --temporal: per frame that followed another
  size_t followed = 0;
  std::map<size_t, graphstyle::Image> content_cache;  // the current content only (jobs are by content)
  std::map<size_t, std::string> content_error;
  for (const Job& job : jobs) {
    try {
      if (content_error.count(job.content)) throw std::runtime_error(content_error[job.content]);
      if (!content_cache.count(job.content)) {
        content_cache.clear();
        try {
          content_cache.emplace(job.content, load_sized(contents[job.content], opt.size, opt.limits));
        } catch (const std::exception& e) {
          content_error[job.content] = e.what();
          throw;
        }
      }
      const graphstyle::Image& content = content_cache.at(job.content);
      std::vector<std::string> job_styles;
      for (size_t s : job.styles) job_styles.push_back(styles[s]);
      std::vector<int> labels;
      if (mask) labels = mask_labels(*mask, mask_path, static_cast<int>(styles.size()), content.width, content.height);
      if (temporal) {
        double changed = 1.0, smoothed = 0.0;
        graphstyle::save_image(job.out, stylizer.run_frame(content, job_styles[0], smoothing, &changed, &smoothed),
                               quality);
        if (changed < 1.0) {
          changed_sum += changed;
          smoothed_sum += smoothed;
          ++followed;
        }
      } else {
        graphstyle::save_image(job.out, stylizer.run(content, job_styles, weights, mask ? &labels : nullptr), quality);
      }
      ++done;
    } catch (const std::exception& e) {
      ++failed;
      if (isatty(STDERR_FILENO)) std::fprintf(stderr, "\r\033[K");  // over the progress line, which is redrawn below
      std::fprintf(stderr, "graphstyle stylize: skipped %s: %s\n", job.out.c_str(), e.what());
    }
    progress.update(static_cast<int64_t>(done + failed), std::to_string(failed) + " failed");
  }
  progress.finish();
  const double seconds = seconds_since(t0);
  std::printf("%zu of %zu images written to %s in %.1f s (%.2f images/s, model loaded once, %zu style%s)%s\n", done,
              jobs.size(), with_slash(out_dir).c_str(), seconds, seconds > 0 ? done / seconds : 0.0, styles.size(),
              styles.size() == 1 ? "" : "s", failed ? "; failures above" : "");
  if (temporal && followed)
    std::printf("between consecutive frames, on average: %.1f%% of the style edges changed, %.1f%% of the pixels "
                "were smoothed along the motion\n", 100 * changed_sum / followed, 100 * smoothed_sum / followed);
  print_profile();
  return failed ? 1 : 0;
}

}  // namespace gs::tools
