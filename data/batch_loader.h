// Training batches of random crops, decoded on worker threads ahead of the training step.
//
// Determinism: sample number n (counting from 0 over the whole run) takes the file at position
// n % F of a permutation drawn for epoch n / F from the seed, and its crop offsets from an RNG
// seeded by (seed, n), as are its scale and mirroring when those augmentations are on. So the
// loader's whole state is one counter, `position()`: a run resumed from a checkpoint at position P
// sees exactly the batches an uninterrupted run sees, however the worker threads are scheduled. A file that cannot be decoded is skipped (the next file of the permutation
// stands in), reported once through LoaderOptions::on_skipped_file and counted in `skipped_files()`; it never stops training.
#pragma once
#include <functional>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tensor/tensor.h"

namespace gs::data {

struct LoaderOptions {
  int64_t batch = 8;
  int64_t resize = 512;  // shorter side, before cropping
  int64_t resize_min = 0;  // > 0: the shorter side is drawn per sample from [resize_min, resize] (multi-scale crops)
  bool flip = false;       // mirror each sample left-right with probability 1/2
  int64_t crop = 256;
  uint64_t seed = 0;
  int workers = 2;
  int prefetch = 2;      // batches prepared ahead per worker
  // Data-parallel training: this process takes samples [shard_begin, shard_begin + shard_size) of
  // every batch of `batch` (0: all of it). The samples a batch holds do not depend on the split.
  int64_t shard_begin = 0, shard_size = 0;
  // Told once per unreadable file (the message names it); called from a worker thread. Unset: silent.
  std::function<void(const std::string& message)> on_skipped_file = {};
};

class BatchLoader {
 public:
  BatchLoader(std::vector<std::string> files, LoaderOptions options, std::string name);
  ~BatchLoader();
  BatchLoader(const BatchLoader&) = delete;
  BatchLoader& operator=(const BatchLoader&) = delete;

  Tensor next();                       // [batch (or shard_size), 3, crop, crop]
  int64_t position() const { return next_batch_ * options_.batch; }  // samples handed out so far
  void seek(int64_t position);         // resume; must be a multiple of the batch size
  int64_t skipped_files() const;
  std::vector<size_t> skipped_indices() const;  // the unreadable files' positions in the file list, ascending
  size_t size() const { return files_.size(); }

 private:
  Tensor make_batch(int64_t batch_index);
  Tensor load_sample(int64_t n);
  void worker_loop(int worker);
  void start_workers();
  void stop_workers();

  std::vector<std::string> files_;
  LoaderOptions options_;
  std::string name_;  // "content" / "style", for messages

  int64_t next_batch_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable ready_, wanted_;
  std::map<int64_t, Tensor> done_;      // finished batches by index
  std::map<int64_t, std::string> errors_;
  std::set<size_t> bad_files_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

}  // namespace gs::data
