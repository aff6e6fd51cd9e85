// graphstyle-dev montage: images side by side in a labelled grid (eval/panel.h), for the README's
// gallery (tools/make_gallery.sh).
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "data/image.h"
#include "eval/panel.h"
#include "tools/args.h"

namespace gs::tools {

int run_montage(const std::vector<std::string>& argv) {
  const std::string usage =
      "usage: graphstyle-dev montage -o OUT.jpg [--columns N] [--cell PX] [--labels A,B,...] [--rows R1,R2,...] IMAGE...\n"
      "  images fill the grid row by row; --labels names the columns, --rows the rows\n";
  Args args(argv, usage);
  if (args.help()) {
    std::printf("%s", usage.c_str());
    return 0;
  }
  const std::string out = args.required("-o");
  const int64_t cell = args.get_int("--cell", 192, 16, 2048);
  const std::string labels_text = args.get("--labels", ""), rows_text = args.get("--rows", "");
  const int quality = static_cast<int>(args.get_int("--quality", 85, 1, 100));
  auto split = [](const std::string& text) {
    std::vector<std::string> parts;
    std::stringstream in(text);
    for (std::string p; std::getline(in, p, ',');) parts.push_back(p);
    return parts;
  };
  std::vector<std::string> column_labels = split(labels_text), row_labels = split(rows_text);
  // The positional arguments: everything that is neither an option nor an option's value.
  std::vector<std::string> files;
  for (size_t i = 0; i < argv.size(); ++i) {
    if (argv[i].rfind("-", 0) == 0) {
      ++i;
      continue;
    }
    files.push_back(argv[i]);
  }
  if (files.empty()) throw std::invalid_argument("montage: no images");
  const int64_t columns = args.get_int("--columns", static_cast<int64_t>(files.size()), 1, 64);
  column_labels.resize(columns);
  std::vector<eval::PanelRow> rows;
  for (size_t i = 0; i < files.size(); ++i) {
    if (i % columns == 0) rows.push_back({row_labels.size() > rows.size() ? row_labels[rows.size()] : "", {}});
    rows.back().images.push_back(data::load_image(files[i]));
  }
  const eval::Font font("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
  data::save_image(out, eval::make_panel(column_labels, rows, font, cell), quality);
  std::printf("%s: %zu images, %zu rows\n", out.c_str(), files.size(), rows.size());
  return 0;
}

}  // namespace gs::tools
