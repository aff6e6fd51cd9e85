// Writing a file so that a crash never leaves a corrupt file in place of a good one: write a
// temporary file beside the target, flush it to disk, then rename it over the target (rename is
// atomic within one file system). Destroyed without commit(), the temporary file is removed.
#pragma once
#include <string>

namespace gs::data {

class AtomicFile {
 public:
  explicit AtomicFile(std::string target);  // checks that the target's folder is writable
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  const std::string& temp_path() const { return temp_; }  // write here
  void commit();  // fsync the temporary file, rename it over the target

 private:
  std::string target_, temp_;
  bool committed_ = false;
};

}  // namespace gs::data
