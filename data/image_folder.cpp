#include "data/image_folder.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace gs::data {

namespace fs = std::filesystem;

namespace {
bool is_image_name(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp";
}
}  // namespace

std::vector<std::string> list_images(const std::string& folder, const std::string& option) {
  if (!fs::exists(folder)) throw std::runtime_error(option + " " + folder + ": no such file or folder");
  std::vector<std::string> files;
  if (fs::is_regular_file(folder)) {
    files.push_back(folder);
  } else {
    for (const auto& e : fs::recursive_directory_iterator(folder, fs::directory_options::follow_directory_symlink))
      if (e.is_regular_file() && is_image_name(e.path())) files.push_back(e.path().string());
  }
  if (files.empty())
    throw std::runtime_error(option + " " + folder + ": no images (.jpg, .jpeg, .png, .bmp) in this folder");
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace gs::data
