// A small RAII wrapper over the HDF5 C API for what graphstyle stores: float tensors, integer
// arrays and scalar/string attributes, addressed by slash paths ("params/inter.Wc").
// Used for the golden files, the model file and the training checkpoints.
//
// Model files and checkpoints come from strangers, and libhdf5 itself mishandles some crafted
// structures, so open_read() asks the library to parse only what graphstyle writes: datasets of
// exactly float32, float64 or int64 (little-endian, contiguous or compact, unfiltered, whose stored
// bytes match their shape and fit the file), attributes holding one int64, float64 or fixed-length
// string. Everything is checked (class, size, rank, length) before anything is read or allocated.
// Residual risk: the superblock, object headers and B-trees are still parsed by libhdf5 on open;
// the command line therefore reads untrusted files first in a child process (tools/isolated.h).
// open_golden() also accepts what h5py writes into the project's own golden files (variable-length
// strings, enum bools, other numeric types).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace gs::data {

// A number as people write it in messages: "0.5", "1e+300", "nan".
std::string number_text(double v);

class H5File {
 public:
  static H5File open_read(const std::string& path);    // untrusted files; errors name the file
  static H5File open_golden(const std::string& path);  // the project's reference files (h5py)
  static H5File create(const std::string& path);     // truncates; prefer AtomicFile + create
  // The bytes of an HDF5 file held in memory (copied); `name` stands for the file in errors.
  static H5File open_memory(const void* data, size_t size, const std::string& name);
  H5File(H5File&& other) noexcept;
  H5File& operator=(H5File&& other) noexcept;
  H5File(const H5File&) = delete;
  H5File& operator=(const H5File&) = delete;
  ~H5File();

  const std::string& path() const { return path_; }
  bool exists(const std::string& object) const;              // a dataset or group
  std::vector<std::string> members(const std::string& group) const;  // sorted names
  Shape shape(const std::string& dataset) const;
  std::string dtype(const std::string& dataset) const;  // "float32", "float64", "int64", "uint8", ...

  // Any numeric dataset, converted by HDF5 (float64 golden values become float32).
  Tensor read_tensor(const std::string& dataset) const;
  std::vector<double> read_f64(const std::string& dataset, Shape* shape = nullptr) const;
  std::vector<int64_t> read_i64(const std::string& dataset, Shape* shape = nullptr) const;

  // Creates the intermediate groups. Datasets of float32 or IEEE half (tensors) or int64. Half storage
  // halves a file of trained weights; HDF5 rounds on writing and widens to float32 on reading.
  enum class Storage { f32, f16 };
  void write_tensor(const std::string& dataset, const Tensor& t, Storage storage = Storage::f32);
  void write_i64(const std::string& dataset, const Shape& shape, const std::vector<int64_t>& values);

  // Attributes of an object ("/" is the file itself).
  bool has_attr(const std::string& object, const std::string& name) const;
  std::string attr_string(const std::string& object, const std::string& name) const;
  bool attr_is_string(const std::string& object, const std::string& name) const;
  double attr_double(const std::string& object, const std::string& name) const;
  int64_t attr_int(const std::string& object, const std::string& name) const;
  void set_attr(const std::string& object, const std::string& name, const std::string& value);
  void set_attr(const std::string& object, const std::string& name, double value);
  void set_attr(const std::string& object, const std::string& name, int64_t value);

  void flush();

 private:
  H5File(int64_t id, std::string path, bool strict) : id_(id), path_(std::move(path)), strict_(strict) {}
  static H5File open(const std::string& path, bool strict);
  [[noreturn]] void fail(const std::string& what) const;
  template <class T>
  std::vector<T> read_as(const std::string& dataset, int64_t mem_type, Shape* shape_out) const;
  int64_t open_scalar_attr(const std::string& object, const std::string& name) const;  // an owned hid_t
  int64_t id_ = -1;  // hid_t
  std::string path_;
  bool strict_ = true;
};

}  // namespace gs::data
