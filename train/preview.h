// A picture of how training goes: a grid of stylizations of fixed content/style pairs, written next to
// the checkpoints every few steps. The top row holds the style images, the left column the content
// images, and cell (i, j) content i in style j:
//
//   .   s1   s2
//   c1  c1s1 c1s2
//   c2  c2s1 c2s2
#pragma once
#include <string>
#include <vector>

#include "models/graph_stage.h"
#include "models/stylizer.h"
#include "tensor/tensor.h"

namespace gs::train {

class PreviewSheet {
 public:
  // The first `count` readable images of each list (unreadable ones are passed over), shorter side
  // resized to `size` and centre-cropped to size x size. The labels name the two lists in errors.
  PreviewSheet(const std::vector<std::string>& content_files, const std::vector<std::string>& style_files, int count,
               int64_t size, const std::string& content_label = "content", const std::string& style_label = "style");

  // The grid [3, (n+1) size, (m+1) size] for the model as it is now.
  Tensor render(const models::Stylizer& model, const models::GraphOptions& options) const;
  void write(const std::string& path, const models::Stylizer& model, const models::GraphOptions& options) const;

 private:
  std::vector<Tensor> contents_, styles_;  // [1, 3, size, size]
  int64_t size_;
};

}  // namespace gs::train
