// A bounded least-recently-used cache keyed by the content of a file (a hash of its bytes plus a
// variant, such as the size it was resized to). The bytes are kept beside the value and compared
// on a hit, so two files with the same hash never share an entry. The budget counts each entry's
// bytes plus the cost its inserter declares (a graphstyle::StyleFeatures' bytes()).
#pragma once
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace gs::server {

uint64_t content_hash(const std::string& bytes);  // FNV-1a, 64 bits

template <class V>
class LruCache {
 public:
  explicit LruCache(size_t budget_bytes) : budget_(budget_bytes) {}

  std::optional<V> get(const std::string& bytes, const std::string& variant) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = index_.find(key(bytes, variant));
    if (it == index_.end() || it->second->bytes != bytes) {
      ++misses_;
      return std::nullopt;
    }
    entries_.splice(entries_.begin(), entries_, it->second);  // now the most recent
    ++hits_;
    return it->second->value;
  }

  // An entry larger than the whole budget is not kept.
  void put(const std::string& bytes, const std::string& variant, V value, size_t cost) {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::string k = key(bytes, variant);
    if (const auto it = index_.find(k); it != index_.end()) erase(it->second);
    const size_t total = cost + bytes.size();
    if (total > budget_) return;
    while (used_ + total > budget_) erase(std::prev(entries_.end()));
    entries_.push_front(Entry{k, bytes, std::move(value), total});
    index_[k] = entries_.begin();
    used_ += total;
  }

  size_t entries() const { std::lock_guard<std::mutex> lock(mutex_); return entries_.size(); }
  size_t used_bytes() const { std::lock_guard<std::mutex> lock(mutex_); return used_; }
  uint64_t hits() const { std::lock_guard<std::mutex> lock(mutex_); return hits_; }
  uint64_t misses() const { std::lock_guard<std::mutex> lock(mutex_); return misses_; }

 private:
  struct Entry {
    std::string key, bytes;
    V value;
    size_t cost;
  };
  using Iter = typename std::list<Entry>::iterator;

  static std::string key(const std::string& bytes, const std::string& variant) {
    return std::to_string(content_hash(bytes)) + ":" + std::to_string(bytes.size()) + ":" + variant;
  }
  void erase(Iter it) {
    used_ -= it->cost;
    index_.erase(it->key);
    entries_.erase(it);
  }

  const size_t budget_;
  mutable std::mutex mutex_;
  std::list<Entry> entries_;  // most recent first
  std::unordered_map<std::string, Iter> index_;
  size_t used_ = 0;
  uint64_t hits_ = 0, misses_ = 0;
};

}  // namespace gs::server
