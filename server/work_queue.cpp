#include "server/work_queue.h"

#include <stdexcept>
#include <string>

namespace gs::server {

WorkQueue::WorkQueue(int workers, size_t capacity) : capacity_(capacity) {
  if (workers < 1) throw std::invalid_argument("workers " + std::to_string(workers) + " must be >= 1");
  for (int i = 0; i < workers; ++i) threads_.emplace_back([this, i] { loop(i); });
}

WorkQueue::~WorkQueue() { stop(); }

bool WorkQueue::submit(Job job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || jobs_.size() >= capacity_) return false;
    jobs_.push_back(std::move(job));
  }
  ready_.notify_one();
  return true;
}

size_t WorkQueue::waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return jobs_.size();
}

int WorkQueue::busy() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return busy_;
}

void WorkQueue::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& t : threads_)
    if (t.joinable()) t.join();
}

void WorkQueue::loop(int worker) {
  while (true) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, and nothing left to run
      job = std::move(jobs_.front());
      jobs_.pop_front();
      ++busy_;
    }
    try {
      job(worker);
    } catch (...) {
      // A job reports its own errors; one that escapes must not take the worker down.
    }
    std::lock_guard<std::mutex> lock(mutex_);
    --busy_;
  }
}

}  // namespace gs::server
