#include "tools/isolated.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <stdexcept>

namespace gs::tools {

void check_in_child(const std::string& path, const std::function<void()>& read, int timeout_seconds) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error(std::string("cannot create a pipe: ") + std::strerror(errno));
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("cannot start a child process: ") + std::strerror(errno));
  if (pid == 0) {
    close(fds[0]);
    int code = 0;
    std::string message;
    try {
      read();
    } catch (const std::exception& e) {
      message = e.what();
      code = 1;
    } catch (...) {
      message = path + ": unknown error while reading";
      code = 1;
    }
    for (size_t at = 0; at < message.size();) {
      const ssize_t n = write(fds[1], message.data() + at, message.size() - at);
      if (n <= 0) break;
      at += static_cast<size_t>(n);
    }
    _exit(code);  // no atexit handlers, no flushing the parent's buffers twice
  }
  close(fds[1]);
  std::string message;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  bool timed_out = false;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    char buf[4096];
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the child closed its end: it is exiting
    message.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw std::runtime_error(std::string("waiting for the child process: ") + std::strerror(errno));
  if (timed_out)
    throw std::runtime_error(path + ": reading the file took longer than " + std::to_string(timeout_seconds) +
                             " s: it is damaged or hostile");
  if (WIFSIGNALED(status))
    throw std::runtime_error(path + ": reading the file crashed the reader (signal " + std::to_string(WTERMSIG(status)) +
                             ", " + strsignal(WTERMSIG(status)) + "): it is damaged or hostile");
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  throw std::runtime_error(message.empty() ? path + ": cannot be read (exit status " +
                                                 std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")"
                                           : message);
}

}  // namespace gs::tools
