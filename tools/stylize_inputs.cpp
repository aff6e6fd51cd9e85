#include "tools/stylize_inputs.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <stdexcept>

#include <graphstyle/image.hpp>

namespace gs::tools {

std::vector<std::string> expand_inputs(const std::vector<std::string>& values, const std::string& option,
                                       bool allow_none) {
  std::vector<std::string> out;
  for (const std::string& v : values) {
    if (allow_none && v == "none") {
      out.push_back(v);
      continue;
    }
    if (std::filesystem::is_directory(v)) {
      for (const std::string& f : graphstyle::list_images(v, option)) out.push_back(f);
    } else {
      out.push_back(v);  // a file: a missing or bad one is reported when it is read
    }
  }
  return out;
}

std::string stem_of(const std::string& path) { return std::filesystem::path(path).stem().string(); }

std::vector<Job> plan_jobs(const std::vector<std::string>& contents, const std::vector<std::string>& styles,
                           bool one_output_per_content, bool mask, const std::string& out_dir, const std::string& ext) {
  std::vector<Job> jobs;
  std::map<std::string, size_t> written;  // output -> job
  auto add = [&](Job job) {
    const auto [it, fresh] = written.emplace(job.out, jobs.size());
    if (!fresh) {
      const Job& other = jobs[it->second];
      throw std::invalid_argument("--out-dir: " + contents[job.content] + " and " + contents[other.content] +
                                  (job.styles == other.styles ? "" : " (with different styles)") + " would both write " +
                                  job.out + " (rename one of them, or stylize them into different --out-dir folders)");
    }
    jobs.push_back(std::move(job));
  };
  for (size_t c = 0; c < contents.size(); ++c) {
    const std::string base = (std::filesystem::path(out_dir) / stem_of(contents[c])).string() + "_";
    if (one_output_per_content) {
      std::vector<size_t> all(styles.size());
      std::string name;
      for (size_t s = 0; s < styles.size(); ++s) {
        all[s] = s;
        name += (s ? "+" : "") + stem_of(styles[s]);
      }
      add({c, all, base + (mask ? "mask" : name) + "." + ext});
    } else {
      for (size_t s = 0; s < styles.size(); ++s) add({c, {s}, base + stem_of(styles[s]) + "." + ext});
    }
  }
  return jobs;
}

std::vector<int> mask_labels(const graphstyle::Image& mask, const std::string& path, int regions, int width,
                             int height) {
  // Nearest-neighbour resampling: a mask's colours are labels, never mixed.
  std::vector<uint32_t> colour(static_cast<size_t>(width) * height);
  std::map<uint32_t, int> ranks;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const int my = std::min(mask.height - 1, static_cast<int>((y + 0.5) * mask.height / height));
      const int mx = std::min(mask.width - 1, static_cast<int>((x + 0.5) * mask.width / width));
      const float* p = &mask.pixels[3 * (static_cast<size_t>(my) * mask.width + mx)];
      uint32_t rgb = 0;
      for (int c = 0; c < 3; ++c) rgb = rgb << 8 | static_cast<uint32_t>(std::lround(std::clamp(p[c], 0.f, 1.f) * 255));
      colour[static_cast<size_t>(y) * width + x] = rgb;
      ranks.emplace(rgb, 0);
    }
  if (static_cast<int>(ranks.size()) != regions)
    throw std::invalid_argument("--mask " + path + ": " + std::to_string(ranks.size()) +
                                " distinct colours, expected one per --style (" + std::to_string(regions) +
                                "; a lossless PNG keeps the colours exact)");
  std::vector<uint32_t> order;
  for (const auto& [rgb, rank] : ranks) order.push_back(rgb);
  auto luma = [](uint32_t rgb) { return 299 * (rgb >> 16) + 587 * ((rgb >> 8) & 255) + 114 * (rgb & 255); };
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return luma(a) < luma(b); });
  for (size_t i = 0; i < order.size(); ++i) ranks[order[i]] = static_cast<int>(i);
  std::vector<int> labels(colour.size());
  for (size_t i = 0; i < colour.size(); ++i) labels[i] = ranks[colour[i]];
  return labels;
}

std::vector<float> parse_weights(const std::string& text, size_t count) {
  std::vector<float> w;
  std::stringstream in(text);
  std::string item;
  double sum = 0;
  while (std::getline(in, item, ',')) {
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(item.c_str(), &end);
    if (item.empty() || *end || errno || !(v >= 0.0) || !std::isfinite(v))
      throw std::invalid_argument("--style-weights " + text + ": '" + item + "' is not a number >= 0");
    w.push_back(static_cast<float>(v));
    sum += v;
  }
  if (w.size() != count)
    throw std::invalid_argument("--style-weights " + text + ": " + std::to_string(w.size()) + " weights for " +
                                std::to_string(count) + " --style images (one each)");
  if (!(sum > 0)) throw std::invalid_argument("--style-weights " + text + ": all weights are 0");
  return w;
}

}  // namespace gs::tools
