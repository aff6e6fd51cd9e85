// What `graphstyle stylize` reads and writes when given many images: the --content and --style
// lists (files or folders, searched recursively), the jobs (every content x every style, or one
// output per content for a blend or a mask) and their output names.
#pragma once
#include <string>
#include <vector>

#include <graphstyle/image.hpp>

namespace gs::tools {

// Every --NAME value expanded: a folder to its images (sorted), a file as it is; "none" kept as is
// when allow_none (a mask region that keeps the photo).
std::vector<std::string> expand_inputs(const std::vector<std::string>& values, const std::string& option,
                                       bool allow_none);

// The file name's stem ("photos/a.jpg" -> "a").
std::string stem_of(const std::string& path);

struct Job {
  size_t content = 0;
  std::vector<size_t> styles;  // one (pairs), or all (blend, mask)
  std::string out;
};

// Jobs with output paths in out_dir: <content>_<style>.<ext>, or <content>_<s1>+<s2>.<ext> (blend)
// and <content>_mask.<ext> (mask). Two jobs writing one file is an error naming both inputs.
std::vector<Job> plan_jobs(const std::vector<std::string>& contents, const std::vector<std::string>& styles,
                           bool one_output_per_content, bool mask, const std::string& out_dir, const std::string& ext);

// A mask image (any size) -> one label per pixel of a width x height content: its distinct colours
// sorted by brightness (grey levels: black first), label = the colour's rank. Throws naming
// `path` if the number of colours is not `regions`.
std::vector<int> mask_labels(const graphstyle::Image& mask, const std::string& path, int regions, int width,
                             int height);

// --style-weights "0.7,0.3" -> {0.7, 0.3}: `count` numbers >= 0, not all 0.
std::vector<float> parse_weights(const std::string& text, size_t count);

}  // namespace gs::tools
