#include "train/preview.h"

#include <algorithm>
#include <stdexcept>
#include <tuple>

#include "data/image.h"
#include "tensor/ops.h"

namespace gs::train {

namespace {
// Shorter side to `size`, then the centre size x size square: [1, 3, size, size].
Tensor square_image(const std::string& path, int64_t size) {
  Tensor img = data::load_image(path);
  const int64_t h = img.size(1), w = img.size(2);
  const int64_t th = h <= w ? size : std::max(size, (h * size + w / 2) / w);
  const int64_t tw = h <= w ? std::max(size, (w * size + h / 2) / h) : size;
  img = data::resize_image(img, th, tw);
  const int64_t y = (th - size) / 2, x = (tw - size) / 2;
  return img.slice(1, y, y + size).slice(2, x, x + size).contiguous().unsqueeze(0);
}

std::vector<Tensor> first_readable(const std::vector<std::string>& files, int count, int64_t size) {
  std::vector<Tensor> images;
  for (size_t i = 0; i < files.size() && static_cast<int>(images.size()) < count; ++i) {
    try {
      images.push_back(square_image(files[i], size));
    } catch (const std::exception&) {
      // The loader reports unreadable files; the preview simply takes the next one.
    }
  }
  return images;
}

}  // namespace

PreviewSheet::PreviewSheet(const std::vector<std::string>& content_files, const std::vector<std::string>& style_files,
                           int count, int64_t size, const std::string& content_label,
                           const std::string& style_label)
    : contents_(first_readable(content_files, count, size)),
      styles_(first_readable(style_files, count, size)),
      size_(size) {
  for (const auto& [images, files, option] :
       {std::tuple{&contents_, &content_files, &content_label}, std::tuple{&styles_, &style_files, &style_label}})
    if (images->empty())
      throw std::runtime_error(*option + ": none of the " + std::to_string(files->size()) +
                               " images could be read");
}

Tensor PreviewSheet::render(const models::Stylizer& model, const models::GraphOptions& options) const {
  std::vector<Tensor> header{Tensor::ones({3, size_, size_})};  // the empty corner stays white
  for (const Tensor& s : styles_) header.push_back(s.select(0, 0));
  std::vector<Tensor> rows{concat(header, 2)};
  for (const Tensor& c : contents_) {
    std::vector<Tensor> row{c.select(0, 0)};
    for (const Tensor& s : styles_) row.push_back(model.stylize_gnn(c, s, options).select(0, 0));
    rows.push_back(concat(row, 2));
  }
  return concat(rows, 1);
}

void PreviewSheet::write(const std::string& path, const models::Stylizer& model,
                         const models::GraphOptions& options) const {
  data::save_image(path, render(model, options));
}

}  // namespace gs::train
