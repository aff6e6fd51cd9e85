// A bounded queue in front of N worker threads: a job is refused (submit returns false) when
// `capacity` jobs are already waiting, so a burst never becomes an unbounded backlog. Each worker
// passes its own index to the jobs it runs (for state of its own, such as a graphstyle::Context).
#pragma once
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace gs::server {

class WorkQueue {
 public:
  using Job = std::function<void(int worker)>;
  WorkQueue(int workers, size_t capacity);
  ~WorkQueue();  // stop()
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  bool submit(Job job);  // false: the queue is full (or stopping); the job is not run
  size_t waiting() const;
  int busy() const;
  int workers() const { return static_cast<int>(threads_.size()); }
  // Refuses new jobs, runs every job already queued, joins the workers. Idempotent.
  void stop();

 private:
  void loop(int worker);

  const size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Job> jobs_;
  int busy_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace gs::server
