// An image-folder dataset: every PNG/JPEG/BMP below a folder (recursively), in sorted order.
#pragma once
#include <string>
#include <vector>

namespace gs::data {

// Sorted paths of the image files below `folder` (or just `folder` if it is an image file).
// An empty result is an error that names the folder.
std::vector<std::string> list_images(const std::string& folder, const std::string& option_name);

}  // namespace gs::data
