#include "data/hdf5_file.h"

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace gs::data {

namespace {
// Owns one hid_t and closes it with the matching H5?close.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t get() const { return id_; }
  bool ok() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

// HDF5 prints its own error stacks by default; we report errors as exceptions instead.
void silence_hdf5() {
  static bool done = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)done;
}

}  // namespace

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

H5File H5File::open_read(const std::string& path) { return open(path, true); }
H5File H5File::open_golden(const std::string& path) { return open(path, false); }

H5File H5File::open(const std::string& path, bool strict) {
  silence_hdf5();
  if (!std::filesystem::exists(path)) throw std::runtime_error(path + ": no such file");
  if (std::filesystem::is_directory(path)) throw std::runtime_error(path + ": is a directory, expected an HDF5 file");
  if (H5Fis_hdf5(path.c_str()) <= 0) throw std::runtime_error(path + ": not an HDF5 file");
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) throw std::runtime_error(path + ": cannot open as HDF5 (corrupt or truncated?)");
  return H5File(id, path, strict);
}

H5File H5File::open_memory(const void* data, size_t size, const std::string& name) {
  silence_hdf5();
  if (size < 8 || std::memcmp(data, "\x89HDF\r\n\x1a\n", 8) != 0) throw std::runtime_error(name + ": not an HDF5 file");
  // The core driver serves the file from memory; the file image property copies the buffer.
  const Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  if (!fapl.ok() || H5Pset_fapl_core(fapl.get(), 1 << 16, 0) < 0 ||
      H5Pset_file_image(fapl.get(), const_cast<void*>(data), size) < 0)
    throw std::runtime_error(name + ": cannot open an HDF5 file in memory");
  const hid_t id = H5Fopen(name.c_str(), H5F_ACC_RDONLY, fapl.get());
  if (id < 0) throw std::runtime_error(name + ": cannot open as HDF5 (corrupt or truncated?)");
  return H5File(id, name, true);  // from a caller's buffer: as untrusted as a file
}

H5File H5File::create(const std::string& path) {
  silence_hdf5();
  const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (id < 0) throw std::runtime_error(path + ": cannot create HDF5 file (is the folder writable?)");
  return H5File(id, path, true);
}

H5File::H5File(H5File&& other) noexcept : id_(other.id_), path_(std::move(other.path_)), strict_(other.strict_) {
  other.id_ = -1;
}

H5File& H5File::operator=(H5File&& other) noexcept {
  if (this != &other) {
    if (id_ >= 0) H5Fclose(id_);
    id_ = other.id_;
    path_ = std::move(other.path_);
    strict_ = other.strict_;
    other.id_ = -1;
  }
  return *this;
}

H5File::~H5File() {
  if (id_ >= 0) H5Fclose(id_);
}

void H5File::fail(const std::string& what) const { throw std::runtime_error(path_ + ": " + what); }

bool H5File::exists(const std::string& object) const {
  if (object == "/" || object.empty()) return true;
  // H5Lexists needs every parent to exist, so walk the path one link at a time.
  size_t at = object[0] == '/' ? 1 : 0;
  while (true) {
    const size_t slash = object.find('/', at);
    const std::string prefix = object.substr(0, slash);
    if (H5Lexists(id_, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    if (slash == std::string::npos) return true;
    at = slash + 1;
  }
}

std::vector<std::string> H5File::members(const std::string& group) const {
  if (!exists(group)) fail("no group '" + group + "'");
  Handle g(H5Gopen2(id_, group.c_str(), H5P_DEFAULT), H5Gclose);
  if (!g.ok()) fail("'" + group + "' is not a group");
  H5G_info_t info;
  if (H5Gget_info(g.get(), &info) < 0) fail("cannot list group '" + group + "' (corrupt file?)");
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t n = H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (n < 0 || n > 4096) fail("group '" + group + "' has a damaged or overlong member name");
    std::string name(static_cast<size_t>(n), '\0');
    H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), n + 1, H5P_DEFAULT);
    names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

Shape H5File::shape(const std::string& dataset) const {
  if (!exists(dataset)) fail("no dataset '" + dataset + "'");
  Handle d(H5Dopen2(id_, dataset.c_str(), H5P_DEFAULT), H5Dclose);
  if (!d.ok()) fail("'" + dataset + "' is not a dataset");
  Handle space(H5Dget_space(d.get()), H5Sclose);
  const int nd = space.ok() ? H5Sget_simple_extent_ndims(space.get()) : -1;
  if (nd < 0 || nd > H5S_MAX_RANK) fail("dataset '" + dataset + "' has a damaged dataspace");
  std::vector<hsize_t> dims(nd);
  if (H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0)
    fail("dataset '" + dataset + "' has a damaged dataspace");
  Shape shape;
  for (hsize_t n : dims) {
    if (n > static_cast<hsize_t>(INT64_MAX)) fail("dataset '" + dataset + "' has a dimension too large to address");
    shape.push_back(static_cast<int64_t>(n));
  }
  return shape;
}

std::string H5File::dtype(const std::string& dataset) const {
  if (!exists(dataset)) fail("no dataset '" + dataset + "'");
  Handle d(H5Dopen2(id_, dataset.c_str(), H5P_DEFAULT), H5Dclose);
  if (!d.ok()) fail("'" + dataset + "' is not a dataset");
  Handle type(H5Dget_type(d.get()), H5Tclose);
  const size_t bits = 8 * H5Tget_size(type.get());
  switch (H5Tget_class(type.get())) {
    case H5T_FLOAT: return "float" + std::to_string(bits);
    case H5T_INTEGER: return (H5Tget_sign(type.get()) == H5T_SGN_NONE ? "uint" : "int") + std::to_string(bits);
    case H5T_STRING: return "string";
    default: return "other";
  }
}

namespace {
// HDF5 has no predefined half type: IEEE binary16 is sign bit 15, exponent bits 10..14 (bias 15),
// mantissa bits 0..9, the layout numpy's float16 writes. Returns an invalid handle on failure.
hid_t make_half_type() {
  const hid_t half = H5Tcopy(H5T_IEEE_F32LE);
  if (half < 0) return half;
  if (H5Tset_fields(half, 15, 10, 5, 0, 10) < 0 || H5Tset_size(half, 2) < 0 || H5Tset_ebias(half, 15) < 0 ||
      H5Tset_precision(half, 16) < 0) {
    H5Tclose(half);
    return -1;
  }
  return half;
}

// The only dataset types an untrusted file may hold: what graphstyle writes (float32, int64, the
// exact half layout of trained weights; float64 for golden values).
bool exact_numeric_type(hid_t type) {
  if (H5Tequal(type, H5T_IEEE_F32LE) > 0 || H5Tequal(type, H5T_IEEE_F64LE) > 0 || H5Tequal(type, H5T_STD_I64LE) > 0)
    return true;
  Handle half(make_half_type(), H5Tclose);
  return half.ok() && H5Tequal(type, half.get()) > 0;
}
}  // namespace

template <class T>
std::vector<T> H5File::read_as(const std::string& dataset, int64_t mem_type, Shape* shape_out) const {
  const Shape shape = this->shape(dataset);
  Handle d(H5Dopen2(id_, dataset.c_str(), H5P_DEFAULT), H5Dclose);
  Handle type(H5Dget_type(d.get()), H5Tclose);
  if (!type.ok()) fail("dataset '" + dataset + "' has a damaged datatype");
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_FLOAT && cls != H5T_INTEGER) fail("dataset '" + dataset + "' is not numeric");
  int64_t numel = 1;
  for (int64_t n : shape)
    if (__builtin_mul_overflow(numel, n, &numel)) fail("dataset '" + dataset + "' has dimensions too large to address");
  const size_t type_size = H5Tget_size(type.get());
  uint64_t stored_bytes = 0;
  if (__builtin_mul_overflow(static_cast<uint64_t>(numel), std::max<size_t>(type_size, sizeof(T)), &stored_bytes))
    fail("dataset '" + dataset + "' has dimensions too large to address");
  if (strict_) {
    if (!exact_numeric_type(type.get()))
      fail("dataset '" + dataset + "' is " + dtype(dataset) + " of an unusual layout; expected little-endian IEEE "
           "float32, float16, float64 or int64");
    Handle plist(H5Dget_create_plist(d.get()), H5Pclose);
    const H5D_layout_t layout = plist.ok() ? H5Pget_layout(plist.get()) : H5D_LAYOUT_ERROR;
    if ((layout != H5D_CONTIGUOUS && layout != H5D_COMPACT) || H5Pget_nfilters(plist.get()) != 0)
      fail("dataset '" + dataset + "' is chunked, filtered or external; graphstyle writes plain contiguous datasets");
    hsize_t file_size = 0;
    if (H5Fget_filesize(id_, &file_size) < 0 || static_cast<uint64_t>(numel) * type_size > file_size)
      fail("dataset '" + dataset + "' of shape " + shape_str(shape) + " needs more bytes than the file has (" +
           std::to_string(file_size) + "): truncated or damaged");
    if (numel > 0 && H5Dget_storage_size(d.get()) != static_cast<hsize_t>(numel) * type_size)
      fail("dataset '" + dataset + "' stores " + std::to_string(H5Dget_storage_size(d.get())) + " bytes, expected " +
           std::to_string(static_cast<uint64_t>(numel) * type_size) + " for shape " + shape_str(shape));
  }
  std::vector<T> values(static_cast<size_t>(numel));
  if (!values.empty() && H5Dread(d.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
    fail("cannot read dataset '" + dataset + "' (corrupt file?)");
  if (shape_out) *shape_out = shape;
  return values;
}

Tensor H5File::read_tensor(const std::string& dataset) const {
  Shape shape;
  std::vector<float> v = read_as<float>(dataset, H5T_NATIVE_FLOAT, &shape);
  return Tensor(shape, v);
}

std::vector<double> H5File::read_f64(const std::string& dataset, Shape* shape) const {
  return read_as<double>(dataset, H5T_NATIVE_DOUBLE, shape);
}

std::vector<int64_t> H5File::read_i64(const std::string& dataset, Shape* shape) const {
  return read_as<int64_t>(dataset, H5T_NATIVE_INT64, shape);
}

namespace {
void write_dataset(const H5File& f, hid_t file, const std::string& dataset, const Shape& shape, hid_t file_type,
                   hid_t mem_type, const void* data) {
  Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(lcpl.get(), 1);
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  Handle space(shape.empty() ? H5Screate(H5S_SCALAR) : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
               H5Sclose);
  Handle d(H5Dcreate2(file, dataset.c_str(), file_type, space.get(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
  if (!d.ok()) throw std::runtime_error(f.path() + ": cannot create dataset '" + dataset + "' (exists already?)");
  if (shape_numel(shape) > 0 && H5Dwrite(d.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    throw std::runtime_error(f.path() + ": cannot write dataset '" + dataset + "' (disk full?)");
}
}  // namespace

void H5File::write_tensor(const std::string& dataset, const Tensor& t, Storage storage) {
  Tensor c = t.contiguous();
  if (storage == Storage::f32) {
    write_dataset(*this, id_, dataset, c.shape(), H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, c.data());
    return;
  }
  Handle half(make_half_type(), H5Tclose);
  if (!half.ok()) fail("cannot make a float16 type for '" + dataset + "'");
  write_dataset(*this, id_, dataset, c.shape(), half.get(), H5T_NATIVE_FLOAT, c.data());
}

void H5File::write_i64(const std::string& dataset, const Shape& shape, const std::vector<int64_t>& values) {
  if (static_cast<int64_t>(values.size()) != shape_numel(shape))
    fail("write_i64 '" + dataset + "': " + std::to_string(values.size()) + " values for shape " + shape_str(shape));
  write_dataset(*this, id_, dataset, shape, H5T_STD_I64LE, H5T_NATIVE_INT64, values.data());
}

bool H5File::has_attr(const std::string& object, const std::string& name) const {
  return exists(object) && H5Aexists_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT) > 0;
}

// An attribute holding exactly one value (a scalar, or a one-element array): an array read into
// one value would overflow the buffer.
hid_t H5File::open_scalar_attr(const std::string& object, const std::string& name) const {
  if (!has_attr(object, name)) fail("'" + object + "' has no attribute '" + name + "'");
  Handle a(H5Aopen_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  if (!a.ok()) fail("cannot open attribute '" + name + "' of '" + object + "' (corrupt file?)");
  Handle space(H5Aget_space(a.get()), H5Sclose);
  const H5S_class_t cls = space.ok() ? H5Sget_simple_extent_type(space.get()) : H5S_NO_CLASS;
  if (!(cls == H5S_SCALAR || (cls == H5S_SIMPLE && H5Sget_simple_extent_npoints(space.get()) == 1)))
    fail("attribute '" + name + "' of '" + object + "' holds " +
         (cls == H5S_SIMPLE ? std::to_string(H5Sget_simple_extent_npoints(space.get())) + " values" : "no value") +
         ", expected one");
  const hid_t id = a.get();
  H5Iinc_ref(id);  // the caller's Handle takes over
  return id;
}

std::string H5File::attr_string(const std::string& object, const std::string& name) const {
  Handle a(open_scalar_attr(object, name), H5Aclose);
  Handle type(H5Aget_type(a.get()), H5Tclose);
  if (!type.ok() || H5Tget_class(type.get()) != H5T_STRING) fail("attribute '" + name + "' of '" + object + "' is not a string");
  if (H5Tis_variable_str(type.get()) != 0) {
    // Variable-length data lives in the global heap, which libhdf5 mishandles in crafted files.
    if (strict_) fail("attribute '" + name + "' of '" + object + "' is a variable-length string; expected a fixed-length one");
    Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mem.get(), H5T_VARIABLE);
    H5Tset_cset(mem.get(), H5Tget_cset(type.get()));
    char* value = nullptr;
    if (H5Aread(a.get(), mem.get(), &value) < 0) fail("cannot read attribute '" + name + "'");
    std::string s = value ? value : "";
    H5free_memory(value);
    return s;
  }
  constexpr size_t kMaxLength = 1 << 20;
  const size_t n = H5Tget_size(type.get());
  if (n == 0 || n > kMaxLength)
    fail("attribute '" + name + "' of '" + object + "' is a string of " + std::to_string(n) + " bytes, expected 1.." +
         std::to_string(kMaxLength));
  std::string s(n, '\0');
  Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(mem.get(), n);
  if (H5Aread(a.get(), mem.get(), s.data()) < 0) fail("cannot read attribute '" + name + "'");
  return s.substr(0, s.find('\0'));
}

bool H5File::attr_is_string(const std::string& object, const std::string& name) const {
  Handle a(open_scalar_attr(object, name), H5Aclose);
  Handle type(H5Aget_type(a.get()), H5Tclose);
  return H5Tget_class(type.get()) == H5T_STRING;
}

double H5File::attr_double(const std::string& object, const std::string& name) const {
  Handle a(open_scalar_attr(object, name), H5Aclose);
  Handle type(H5Aget_type(a.get()), H5Tclose);
  const H5T_class_t cls = type.ok() ? H5Tget_class(type.get()) : H5T_NO_CLASS;
  if (strict_) {
    // Only the two types graphstyle writes: no conversion of exotic types is asked of libhdf5.
    double v = 0;
    if (H5Tequal(type.get(), H5T_IEEE_F64LE) > 0) {
      if (H5Aread(a.get(), H5T_NATIVE_DOUBLE, &v) < 0) fail("cannot read attribute '" + name + "'");
    } else if (H5Tequal(type.get(), H5T_STD_I64LE) > 0) {
      int64_t i = 0;
      if (H5Aread(a.get(), H5T_NATIVE_INT64, &i) < 0) fail("cannot read attribute '" + name + "'");
      v = static_cast<double>(i);
    } else {
      fail("attribute '" + name + "' of '" + object + "' is not an int64 or float64 number");
    }
    if (!std::isfinite(v)) fail("attribute '" + name + "' of '" + object + "' is " + number_text(v) + ", expected a finite number");
    return v;
  }
  if (cls != H5T_FLOAT && cls != H5T_INTEGER && cls != H5T_ENUM)  // h5py stores bools as an enum
    fail("attribute '" + name + "' of '" + object + "' is not a number");
  if (H5Tget_size(type.get()) > 16) fail("attribute '" + name + "' of '" + object + "' is not a number");
  double v = 0;
  if (H5Aread(a.get(), H5T_NATIVE_DOUBLE, &v) < 0) {
    int8_t b = 0;  // enum (bool) attributes convert to integers only
    if (H5Aread(a.get(), H5T_NATIVE_INT8, &b) < 0) fail("cannot read attribute '" + name + "'");
    v = b;
  }
  return v;
}

int64_t H5File::attr_int(const std::string& object, const std::string& name) const {
  {
    Handle a(open_scalar_attr(object, name), H5Aclose);
    Handle type(H5Aget_type(a.get()), H5Tclose);
    if (H5Tequal(type.get(), H5T_STD_I64LE) > 0) {  // exact: no trip through double
      int64_t i = 0;
      if (H5Aread(a.get(), H5T_NATIVE_INT64, &i) < 0) fail("cannot read attribute '" + name + "'");
      return i;
    }
  }
  const double v = attr_double(object, name);
  // A float outside int64's range (or NaN) cast to an integer is undefined behaviour.
  if (!(v >= -9.2e18 && v <= 9.2e18) || v != std::trunc(v))
    fail("attribute '" + name + "' of '" + object + "' is " + number_text(v) + ", expected an integer");
  return static_cast<int64_t>(v);
}

namespace {
void replace_attr(hid_t file, const std::string& object, const std::string& name) {
  if (H5Aexists_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT) > 0)
    H5Adelete_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT);
}
}  // namespace

void H5File::set_attr(const std::string& object, const std::string& name, const std::string& value) {
  replace_attr(id_, object, name);
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), std::max<size_t>(1, value.size()));
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle a(H5Acreate_by_name(id_, object.c_str(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT,
                             H5P_DEFAULT),
           H5Aclose);
  std::string padded = value.empty() ? std::string(1, '\0') : value;
  if (!a.ok() || H5Awrite(a.get(), type.get(), padded.data()) < 0) fail("cannot write attribute '" + name + "'");
}

void H5File::set_attr(const std::string& object, const std::string& name, double value) {
  replace_attr(id_, object, name);
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle a(H5Acreate_by_name(id_, object.c_str(), name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT,
                             H5P_DEFAULT),
           H5Aclose);
  if (!a.ok() || H5Awrite(a.get(), H5T_NATIVE_DOUBLE, &value) < 0) fail("cannot write attribute '" + name + "'");
}

void H5File::set_attr(const std::string& object, const std::string& name, int64_t value) {
  replace_attr(id_, object, name);
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle a(H5Acreate_by_name(id_, object.c_str(), name.c_str(), H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT,
                             H5P_DEFAULT),
           H5Aclose);
  if (!a.ok() || H5Awrite(a.get(), H5T_NATIVE_INT64, &value) < 0) fail("cannot write attribute '" + name + "'");
}

void H5File::flush() { H5Fflush(id_, H5F_SCOPE_GLOBAL); }

}  // namespace gs::data
