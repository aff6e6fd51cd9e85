#include "data/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace gs::data {

namespace fs = std::filesystem;

namespace {
// A writer killed with SIGKILL (or a power cut) leaves its temporary file behind; the next writer
// of the same target removes those whose process is gone.
void remove_stale_temporaries(const fs::path& dir, const std::string& prefix, const std::string& suffix) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(digits));
    if (pid > 0 && pid != getpid() && ::kill(pid, 0) != 0 && errno == ESRCH) {
      std::error_code ignored;
      fs::remove(it->path(), ignored);
    }
  }
}
}  // namespace

AtomicFile::AtomicFile(std::string target) : target_(std::move(target)) {
  const fs::path t(target_);
  if (t.filename().empty()) throw std::runtime_error(target_ + ": output path names a folder, expected a file");
  if (fs::is_directory(t)) throw std::runtime_error(target_ + ": is a directory, expected a file path");
  const fs::path dir = t.parent_path().empty() ? fs::path(".") : t.parent_path();
  if (!fs::is_directory(dir)) throw std::runtime_error(target_ + ": folder " + dir.string() + " does not exist");
  // Same folder as the target, so that the rename never crosses file systems. The extension is kept
  // because some writers choose the format from it.
  const std::string prefix = "." + t.stem().string() + ".tmp", suffix = t.extension().string();
  temp_ = (dir / (prefix + std::to_string(getpid()) + suffix)).string();
  remove_stale_temporaries(dir, prefix, suffix);
  // Creating the temporary file now is the only reliable writability test (root ignores mode bits,
  // read-only mounts and /proc do not).
  const int fd = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw std::runtime_error(target_ + ": cannot write in folder " + dir.string() + ": " + std::strerror(errno));
  ::close(fd);
}

AtomicFile::~AtomicFile() {
  if (!committed_) std::remove(temp_.c_str());
}

void AtomicFile::commit() {
  const int fd = ::open(temp_.c_str(), O_RDONLY);
  if (fd < 0) throw std::runtime_error(target_ + ": the temporary file " + temp_ + " was not written");
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) throw std::runtime_error(target_ + ": cannot flush to disk: " + std::strerror(errno));
  if (std::rename(temp_.c_str(), target_.c_str()) != 0)
    throw std::runtime_error(target_ + ": cannot replace the file: " + std::strerror(errno));
  committed_ = true;
}

}  // namespace gs::data
