#include "data/batch_loader.h"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <random>
#include <stdexcept>

#include "data/image.h"

namespace gs::data {

namespace {
// A 64-bit mix (splitmix64) so that nearby (seed, n) pairs give unrelated RNG streams.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
}  // namespace

BatchLoader::BatchLoader(std::vector<std::string> files, LoaderOptions options, std::string name)
    : files_(std::move(files)), options_(options), name_(std::move(name)) {
  if (files_.empty()) throw std::invalid_argument(name_ + ": no images to load");
  if (options_.batch < 1 || options_.crop < 1 || options_.resize < options_.crop)
    throw std::invalid_argument(name_ + ": need batch >= 1 and resize (" + std::to_string(options_.resize) +
                                ") >= crop (" + std::to_string(options_.crop) + ")");
  if (options_.resize_min != 0 && (options_.resize_min < options_.crop || options_.resize_min > options_.resize))
    throw std::invalid_argument(name_ + ": need crop (" + std::to_string(options_.crop) + ") <= resize_min (" +
                                std::to_string(options_.resize_min) + ") <= resize (" +
                                std::to_string(options_.resize) + ")");
  if (options_.shard_size == 0) options_.shard_size = options_.batch;
  if (options_.shard_begin < 0 || options_.shard_size < 1 || options_.shard_begin + options_.shard_size > options_.batch)
    throw std::invalid_argument(name_ + ": shard [" + std::to_string(options_.shard_begin) + ", " +
                                std::to_string(options_.shard_begin + options_.shard_size) +
                                ") does not lie within a batch of " + std::to_string(options_.batch));
  start_workers();
}

BatchLoader::~BatchLoader() { stop_workers(); }

void BatchLoader::start_workers() {
  stop_ = false;
  for (int w = 0; w < std::max(1, options_.workers); ++w) threads_.emplace_back([this, w] { worker_loop(w); });
}

void BatchLoader::stop_workers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wanted_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void BatchLoader::seek(int64_t position) {
  if (position % options_.batch != 0)
    throw std::invalid_argument(name_ + ": resume position " + std::to_string(position) +
                                " is not a multiple of the batch size " + std::to_string(options_.batch));
  stop_workers();
  done_.clear();
  errors_.clear();
  next_batch_ = position / options_.batch;
  start_workers();
}

int64_t BatchLoader::skipped_files() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int64_t>(bad_files_.size());
}

std::vector<size_t> BatchLoader::skipped_indices() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {bad_files_.begin(), bad_files_.end()};
}

Tensor BatchLoader::load_sample(int64_t n) {
  const int64_t F = static_cast<int64_t>(files_.size());
  const int64_t epoch = n / F;
  std::vector<size_t> order(F);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 perm_rng(mix(options_.seed ^ mix(static_cast<uint64_t>(epoch) + 1)));
  std::shuffle(order.begin(), order.end(), perm_rng);
  for (int64_t tries = 0; tries < F; ++tries) {
    const size_t file = order[(n + tries) % F];
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (bad_files_.count(file)) continue;
    }
    // One RNG per sample: the crop (and the scale and mirroring, when on) follow from (seed, n) alone.
    Rng crop_rng(mix(options_.seed ^ mix(static_cast<uint64_t>(n) * 2 + 1)));
    int64_t s = options_.resize;
    if (options_.resize_min > 0 && options_.resize_min < options_.resize)
      s = options_.resize_min +
          static_cast<int64_t>(crop_rng.next() % static_cast<uint64_t>(options_.resize - options_.resize_min + 1));
    Tensor img;
    try {
      img = load_image(files_[file]);
      const int64_t h = img.size(1), w = img.size(2);
      // Shorter side to `resize` exactly (no rounding to 8: the crop decides the training size).
      const int64_t th = h <= w ? s : std::max<int64_t>(s, (h * s + w / 2) / w);
      const int64_t tw = h <= w ? std::max<int64_t>(s, (w * s + h / 2) / h) : s;
      img = resize_image(img, th, tw);
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (bad_files_.insert(file).second && options_.on_skipped_file)
        options_.on_skipped_file(name_ + ": skipping unreadable image: " + e.what());
      continue;
    }
    const int64_t c = options_.crop;
    const int64_t y = static_cast<int64_t>(crop_rng.next() % static_cast<uint64_t>(img.size(1) - c + 1));
    const int64_t x = static_cast<int64_t>(crop_rng.next() % static_cast<uint64_t>(img.size(2) - c + 1));
    Tensor sample = img.slice(1, y, y + c).slice(2, x, x + c).contiguous();
    if (options_.flip && (crop_rng.next() & 1)) sample = mirror_left_right(sample);
    return sample;
  }
  throw std::runtime_error(name_ + ": none of the " + std::to_string(F) + " images could be read");
}

Tensor BatchLoader::make_batch(int64_t b) {
  const int64_t B = options_.batch, S = options_.shard_size, c = options_.crop;
  Tensor batch = Tensor::empty({S, 3, c, c});
  for (int64_t i = 0; i < S; ++i)
    batch.slice(0, i, i + 1).copy_from(load_sample(b * B + options_.shard_begin + i).unsqueeze(0));
  return batch;
}

void BatchLoader::worker_loop(int worker) {
  const int W = std::max(1, options_.workers);
  // Worker w prepares batches next, next+1, ... whose index is w modulo the number of workers.
  int64_t b;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    b = next_batch_ + ((worker - next_batch_) % W + W) % W;
  }
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wanted_.wait(lock, [&] { return stop_ || b < next_batch_ + int64_t(W) * options_.prefetch; });
      if (stop_) return;
    }
    Tensor batch;
    std::string error;
    try {
      batch = make_batch(b);
    } catch (const std::exception& e) {
      error = e.what();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (error.empty()) done_[b] = batch; else errors_[b] = error;
    }
    ready_.notify_all();
    b += W;
  }
}

Tensor BatchLoader::next() {
  std::unique_lock<std::mutex> lock(mutex_);
  const int64_t b = next_batch_;
  ready_.wait(lock, [&] { return done_.count(b) || errors_.count(b); });
  if (errors_.count(b)) throw std::runtime_error(errors_[b]);
  Tensor batch = done_[b];
  done_.erase(b);
  ++next_batch_;
  lock.unlock();
  wanted_.notify_all();
  return batch;
}

}  // namespace gs::data
