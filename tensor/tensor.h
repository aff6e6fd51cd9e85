// Tensor: a float32 n-dimensional array. Storage is shared between views (view, permute, slice,
// transpose); an op that needs dense memory calls contiguous(), which copies only when it must.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace gs {

using Shape = std::vector<int64_t>;

// "[2, 3, 4]"
std::string shape_str(const Shape& shape);
int64_t shape_numel(const Shape& shape);

// Seeded random source for every draw in the project (weights, tests, data order).
class Rng {
 public:
  explicit Rng(uint64_t seed = 0) : engine_(seed) {}
  float normal() { return normal_(engine_); }
  float uniform(float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(engine_); }
  uint64_t next() { return engine_(); }
  std::mt19937_64& engine() { return engine_; }

 private:
  std::mt19937_64 engine_;
  std::normal_distribution<float> normal_{0.f, 1.f};
};

// Owns 64-byte aligned floats so that SIMD kernels and oneDNN see aligned rows.
class Storage {
 public:
  explicit Storage(int64_t n);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  float* data() { return data_; }
  int64_t size() const { return size_; }

 private:
  float* data_;
  int64_t size_;
};

class Tensor {
 public:
  Tensor() = default;                       // undefined: defined() is false
  explicit Tensor(Shape shape);             // zeros
  Tensor(Shape shape, const std::vector<float>& values);

  static Tensor zeros(Shape shape) { return Tensor(std::move(shape)); }
  static Tensor empty(Shape shape);         // uninitialised
  static Tensor full(Shape shape, float value);
  static Tensor ones(Shape shape) { return full(std::move(shape), 1.f); }
  static Tensor scalar(float value) { return full({}, value); }
  static Tensor randn(Shape shape, Rng& rng, float stddev = 1.f);
  static Tensor uniform(Shape shape, Rng& rng, float lo, float hi);

  bool defined() const { return storage_ != nullptr; }
  const Shape& shape() const { return shape_; }
  const Shape& strides() const { return strides_; }
  int64_t dim() const { return static_cast<int64_t>(shape_.size()); }
  int64_t size(int64_t d) const;            // d may be negative (from the end)
  int64_t numel() const { return shape_numel(shape_); }
  bool is_contiguous() const;

  // Pointer to the first element. For a non-contiguous view elements are at data()[offset(idx)].
  float* data() { return storage_->data() + offset_; }
  const float* data() const { return storage_->data() + offset_; }

  // Element access by full index (tests and small loops; kernels use data()).
  float at(std::initializer_list<int64_t> index) const;
  void set(std::initializer_list<int64_t> index, float value);
  float item() const;  // the single element of a one-element tensor

  // Views: they share storage. view() needs a contiguous tensor; reshape() copies if it must.
  Tensor view(Shape shape) const;           // one dimension may be -1
  Tensor reshape(Shape shape) const;
  Tensor permute(const std::vector<int64_t>& order) const;
  Tensor transpose(int64_t a, int64_t b) const;
  Tensor slice(int64_t dim, int64_t start, int64_t stop) const;  // [start, stop) along dim
  Tensor select(int64_t dim, int64_t index) const;               // drops dim
  Tensor unsqueeze(int64_t dim) const;

  Tensor contiguous() const;                // self if already contiguous
  Tensor clone() const;                     // always a fresh contiguous copy
  void copy_from(const Tensor& src);        // same shape; src may be any view
  Tensor& fill_(float value);
  bool shares_storage_with(const Tensor& other) const { return storage_ == other.storage_; }

  std::vector<float> to_vector() const;     // row-major copy of the elements
  std::string str(int64_t max_values = 6) const;  // "Tensor[2, 3] {0.1, 0.2, ...}"

 private:
  int64_t linear_offset(std::initializer_list<int64_t> index) const;
  std::shared_ptr<Storage> storage_;
  int64_t offset_ = 0;
  Shape shape_;
  Shape strides_;
};

// Row-major strides of a dense tensor of this shape.
Shape contiguous_strides(const Shape& shape);
// Resolves a negative dimension index and checks it; `what` names the caller in the error.
int64_t normalize_dim(int64_t dim, int64_t ndim, const char* what);

}  // namespace gs
