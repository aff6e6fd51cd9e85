#include "tensor/tensor.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <sstream>
#include <stdexcept>

namespace gs {

std::string shape_str(const Shape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

int64_t shape_numel(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

Shape contiguous_strides(const Shape& shape) {
  Shape strides(shape.size());
  int64_t s = 1;
  for (int64_t i = static_cast<int64_t>(shape.size()) - 1; i >= 0; --i) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

int64_t normalize_dim(int64_t dim, int64_t ndim, const char* what) {
  int64_t d = dim < 0 ? dim + ndim : dim;
  if (d < 0 || d >= ndim)
    throw std::invalid_argument(std::string(what) + ": dimension " + std::to_string(dim) +
                                " is out of range for a tensor with " + std::to_string(ndim) + " dimensions");
  return d;
}

Storage::Storage(int64_t n) : size_(n) {
  // aligned_alloc wants a multiple of the alignment; a zero-size tensor still gets a valid pointer.
  size_t bytes = ((static_cast<size_t>(std::max<int64_t>(n, 1)) * sizeof(float) + 63) / 64) * 64;
  data_ = static_cast<float*>(std::aligned_alloc(64, bytes));
  if (!data_) throw std::bad_alloc();
}

Storage::~Storage() { std::free(data_); }

static void check_shape(const Shape& shape) {
  for (int64_t d : shape)
    if (d < 0) throw std::invalid_argument("tensor shape " + shape_str(shape) + " has a negative size");
}

Tensor Tensor::empty(Shape shape) {
  check_shape(shape);
  Tensor t;
  t.storage_ = std::make_shared<Storage>(shape_numel(shape));
  t.strides_ = contiguous_strides(shape);
  t.shape_ = std::move(shape);
  return t;
}

Tensor::Tensor(Shape shape) { *this = full(std::move(shape), 0.f); }

Tensor::Tensor(Shape shape, const std::vector<float>& values) {
  *this = empty(std::move(shape));
  if (static_cast<int64_t>(values.size()) != numel())
    throw std::invalid_argument("tensor of shape " + shape_str(shape_) + " needs " + std::to_string(numel()) +
                                " values, got " + std::to_string(values.size()));
  std::copy(values.begin(), values.end(), data());
}

Tensor Tensor::full(Shape shape, float value) {
  Tensor t = empty(std::move(shape));
  std::fill_n(t.data(), t.numel(), value);
  return t;
}

Tensor Tensor::randn(Shape shape, Rng& rng, float stddev) {
  Tensor t = empty(std::move(shape));
  float* p = t.data();
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = stddev * rng.normal();
  return t;
}

Tensor Tensor::uniform(Shape shape, Rng& rng, float lo, float hi) {
  Tensor t = empty(std::move(shape));
  float* p = t.data();
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = rng.uniform(lo, hi);
  return t;
}

int64_t Tensor::size(int64_t d) const { return shape_[normalize_dim(d, dim(), "Tensor::size")]; }

bool Tensor::is_contiguous() const {
  int64_t expect = 1;
  for (int64_t i = dim() - 1; i >= 0; --i) {
    if (shape_[i] != 1 && strides_[i] != expect) return false;
    expect *= shape_[i];
  }
  return true;
}

int64_t Tensor::linear_offset(std::initializer_list<int64_t> index) const {
  if (static_cast<int64_t>(index.size()) != dim())
    throw std::invalid_argument("index with " + std::to_string(index.size()) + " coordinates into a tensor of shape " +
                                shape_str(shape_));
  int64_t off = 0, d = 0;
  for (int64_t i : index) {
    if (i < 0 || i >= shape_[d])
      throw std::out_of_range("index " + std::to_string(i) + " out of range for dimension " + std::to_string(d) +
                              " of a tensor of shape " + shape_str(shape_));
    off += i * strides_[d++];
  }
  return off;
}

float Tensor::at(std::initializer_list<int64_t> index) const { return data()[linear_offset(index)]; }
void Tensor::set(std::initializer_list<int64_t> index, float value) { data()[linear_offset(index)] = value; }

float Tensor::item() const {
  if (numel() != 1) throw std::invalid_argument("item() of a tensor of shape " + shape_str(shape_) + " (needs 1 element)");
  return data()[0];
}

Tensor Tensor::view(Shape shape) const {
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (infer >= 0) throw std::invalid_argument("view " + shape_str(shape) + ": only one dimension may be -1");
      infer = static_cast<int64_t>(i);
    } else {
      known *= shape[i];
    }
  }
  if (infer >= 0 && known > 0 && numel() % known == 0) shape[infer] = numel() / known;
  check_shape(shape);
  if (shape_numel(shape) != numel())
    throw std::invalid_argument("cannot view a tensor of shape " + shape_str(shape_) + " as " + shape_str(shape));
  if (!is_contiguous())
    throw std::invalid_argument("view of a non-contiguous tensor of shape " + shape_str(shape_) +
                                ": call contiguous() or reshape()");
  Tensor t = *this;
  t.strides_ = contiguous_strides(shape);
  t.shape_ = std::move(shape);
  return t;
}

Tensor Tensor::reshape(Shape shape) const { return contiguous().view(std::move(shape)); }

Tensor Tensor::permute(const std::vector<int64_t>& order) const {
  if (static_cast<int64_t>(order.size()) != dim())
    throw std::invalid_argument("permute of a tensor of shape " + shape_str(shape_) + " needs " +
                                std::to_string(dim()) + " dimensions in the order");
  Tensor t = *this;
  std::vector<bool> seen(dim(), false);
  for (int64_t i = 0; i < dim(); ++i) {
    int64_t d = normalize_dim(order[i], dim(), "permute");
    if (seen[d]) throw std::invalid_argument("permute: dimension " + std::to_string(d) + " appears twice");
    seen[d] = true;
    t.shape_[i] = shape_[d];
    t.strides_[i] = strides_[d];
  }
  return t;
}

Tensor Tensor::transpose(int64_t a, int64_t b) const {
  std::vector<int64_t> order(dim());
  for (int64_t i = 0; i < dim(); ++i) order[i] = i;
  std::swap(order[normalize_dim(a, dim(), "transpose")], order[normalize_dim(b, dim(), "transpose")]);
  return permute(order);
}

Tensor Tensor::slice(int64_t d, int64_t start, int64_t stop) const {
  d = normalize_dim(d, dim(), "slice");
  if (start < 0 || stop > shape_[d] || start > stop)
    throw std::out_of_range("slice [" + std::to_string(start) + ", " + std::to_string(stop) + ") of dimension " +
                            std::to_string(d) + " of a tensor of shape " + shape_str(shape_));
  Tensor t = *this;
  t.offset_ += start * strides_[d];
  t.shape_[d] = stop - start;
  return t;
}

Tensor Tensor::select(int64_t d, int64_t index) const {
  d = normalize_dim(d, dim(), "select");
  Tensor t = slice(d, index, index + 1);
  t.shape_.erase(t.shape_.begin() + d);
  t.strides_.erase(t.strides_.begin() + d);
  return t;
}

Tensor Tensor::unsqueeze(int64_t d) const {
  d = normalize_dim(d, dim() + 1, "unsqueeze");
  Tensor t = *this;
  int64_t stride = d < dim() ? strides_[d] * shape_[d] : 1;
  t.shape_.insert(t.shape_.begin() + d, 1);
  t.strides_.insert(t.strides_.begin() + d, stride);
  return t;
}

// Copies a strided view into dense row-major memory, one innermost row at a time.
static void gather_strided(const Tensor& src, float* dst) {
  const int64_t nd = src.dim(), n = src.numel();
  if (n == 0) return;
  if (nd == 0) {
    dst[0] = src.data()[0];
    return;
  }
  const Shape& shape = src.shape();
  const Shape& strides = src.strides();
  const int64_t inner = shape[nd - 1], inner_stride = strides[nd - 1];
  const int64_t rows = n / inner;
  const float* base = src.data();
#pragma omp parallel for if (n > (1 << 16)) schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
    int64_t off = 0, rem = r;
    for (int64_t d = nd - 2; d >= 0; --d) {
      off += (rem % shape[d]) * strides[d];
      rem /= shape[d];
    }
    const float* s = base + off;
    float* o = dst + r * inner;
    if (inner_stride == 1) {
      std::memcpy(o, s, inner * sizeof(float));
    } else {
      for (int64_t i = 0; i < inner; ++i) o[i] = s[i * inner_stride];
    }
  }
}

Tensor Tensor::contiguous() const {
  if (is_contiguous()) return *this;
  return clone();
}

Tensor Tensor::clone() const {
  Tensor t = empty(shape_);
  gather_strided(*this, t.data());
  return t;
}

void Tensor::copy_from(const Tensor& src) {
  if (src.shape() != shape_)
    throw std::invalid_argument("copy_from: shapes differ: " + shape_str(shape_) + " vs " + shape_str(src.shape()));
  if (!is_contiguous()) throw std::invalid_argument("copy_from: destination of shape " + shape_str(shape_) + " is not contiguous");
  gather_strided(src, data());
}

Tensor& Tensor::fill_(float value) {
  if (is_contiguous()) {
    std::fill_n(data(), numel(), value);
    return *this;
  }
  // A strided view: write through it element by element.
  const int64_t nd = dim();
  for (int64_t i = 0; i < numel(); ++i) {
    int64_t off = 0, rem = i;
    for (int64_t d = nd - 1; d >= 0; --d) {
      off += (rem % shape_[d]) * strides_[d];
      rem /= shape_[d];
    }
    data()[off] = value;
  }
  return *this;
}

std::vector<float> Tensor::to_vector() const {
  std::vector<float> v(numel());
  gather_strided(*this, v.data());
  return v;
}

std::string Tensor::str(int64_t max_values) const {
  if (!defined()) return "Tensor(undefined)";
  std::ostringstream os;
  os << "Tensor" << shape_str(shape_) << " {";
  std::vector<float> v = to_vector();
  for (int64_t i = 0; i < std::min<int64_t>(max_values, numel()); ++i) os << (i ? ", " : "") << v[i];
  if (numel() > max_values) os << ", ...";
  os << "}";
  return os.str();
}

}  // namespace gs
