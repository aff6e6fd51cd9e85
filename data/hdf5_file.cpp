#include "data/hdf5_file.h"

#include <hdf5.h>

#include <algorithm>
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

std::string parent_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos || slash == 0 ? "/" : path.substr(0, slash);
}
}  // namespace

H5File H5File::open_read(const std::string& path) {
  silence_hdf5();
  if (!std::filesystem::exists(path)) throw std::runtime_error(path + ": no such file");
  if (std::filesystem::is_directory(path)) throw std::runtime_error(path + ": is a directory, expected an HDF5 file");
  if (H5Fis_hdf5(path.c_str()) <= 0) throw std::runtime_error(path + ": not an HDF5 file");
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) throw std::runtime_error(path + ": cannot open as HDF5 (corrupt or truncated?)");
  return H5File(id, path);
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
  return H5File(id, name);
}

H5File H5File::create(const std::string& path) {
  silence_hdf5();
  const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (id < 0) throw std::runtime_error(path + ": cannot create HDF5 file (is the folder writable?)");
  return H5File(id, path);
}

H5File::H5File(H5File&& other) noexcept : id_(other.id_), path_(std::move(other.path_)) { other.id_ = -1; }

H5File& H5File::operator=(H5File&& other) noexcept {
  if (this != &other) {
    if (id_ >= 0) H5Fclose(id_);
    id_ = other.id_;
    path_ = std::move(other.path_);
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
  H5Gget_info(g.get(), &info);
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t n = H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
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
  const int nd = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(std::max(nd, 0));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return Shape(dims.begin(), dims.end());
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
template <class T>
std::vector<T> read_as(const H5File& f, hid_t file, const std::string& dataset, hid_t mem_type, Shape* shape_out) {
  const Shape shape = f.shape(dataset);
  Handle d(H5Dopen2(file, dataset.c_str(), H5P_DEFAULT), H5Dclose);
  Handle type(H5Dget_type(d.get()), H5Tclose);
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_FLOAT && cls != H5T_INTEGER)
    throw std::runtime_error(f.path() + ": dataset '" + dataset + "' is not numeric");
  std::vector<T> values(static_cast<size_t>(shape_numel(shape)));
  if (!values.empty() && H5Dread(d.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
    throw std::runtime_error(f.path() + ": cannot read dataset '" + dataset + "' (corrupt file?)");
  if (shape_out) *shape_out = shape;
  return values;
}
}  // namespace

Tensor H5File::read_tensor(const std::string& dataset) const {
  Shape shape;
  std::vector<float> v = read_as<float>(*this, id_, dataset, H5T_NATIVE_FLOAT, &shape);
  return Tensor(shape, v);
}

std::vector<double> H5File::read_f64(const std::string& dataset, Shape* shape) const {
  return read_as<double>(*this, id_, dataset, H5T_NATIVE_DOUBLE, shape);
}

std::vector<int64_t> H5File::read_i64(const std::string& dataset, Shape* shape) const {
  return read_as<int64_t>(*this, id_, dataset, H5T_NATIVE_INT64, shape);
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
  // HDF5 has no predefined half type: IEEE binary16 is sign bit 15, exponent bits 10..14 (bias 15),
  // mantissa bits 0..9, the layout numpy's float16 writes.
  Handle half(H5Tcopy(H5T_IEEE_F32LE), H5Tclose);
  if (!half.ok() || H5Tset_fields(half.get(), 15, 10, 5, 0, 10) < 0 || H5Tset_size(half.get(), 2) < 0 ||
      H5Tset_ebias(half.get(), 15) < 0 || H5Tset_precision(half.get(), 16) < 0)
    fail("cannot make a float16 type for '" + dataset + "'");
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

namespace {
Handle open_attr(const H5File& f, hid_t file, const std::string& object, const std::string& name) {
  if (!f.has_attr(object, name)) throw std::runtime_error(f.path() + ": '" + object + "' has no attribute '" + name + "'");
  return Handle(H5Aopen_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
}
}  // namespace

std::string H5File::attr_string(const std::string& object, const std::string& name) const {
  Handle a = open_attr(*this, id_, object, name);
  Handle type(H5Aget_type(a.get()), H5Tclose);
  if (H5Tget_class(type.get()) != H5T_STRING) fail("attribute '" + name + "' of '" + object + "' is not a string");
  if (H5Tis_variable_str(type.get()) > 0) {
    Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mem.get(), H5T_VARIABLE);
    H5Tset_cset(mem.get(), H5Tget_cset(type.get()));
    char* value = nullptr;
    if (H5Aread(a.get(), mem.get(), &value) < 0) fail("cannot read attribute '" + name + "'");
    std::string s = value ? value : "";
    H5free_memory(value);
    return s;
  }
  const size_t n = H5Tget_size(type.get());
  std::string s(n, '\0');
  Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(mem.get(), n);
  if (H5Aread(a.get(), mem.get(), s.data()) < 0) fail("cannot read attribute '" + name + "'");
  return s.substr(0, s.find('\0'));
}

bool H5File::attr_is_string(const std::string& object, const std::string& name) const {
  Handle a = open_attr(*this, id_, object, name);
  Handle type(H5Aget_type(a.get()), H5Tclose);
  return H5Tget_class(type.get()) == H5T_STRING;
}

double H5File::attr_double(const std::string& object, const std::string& name) const {
  Handle a = open_attr(*this, id_, object, name);
  Handle type(H5Aget_type(a.get()), H5Tclose);
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_FLOAT && cls != H5T_INTEGER && cls != H5T_ENUM)  // h5py stores bools as an enum
    fail("attribute '" + name + "' of '" + object + "' is not a number");
  double v = 0;
  if (H5Aread(a.get(), H5T_NATIVE_DOUBLE, &v) < 0) {
    int8_t b = 0;  // enum (bool) attributes convert to integers only
    if (H5Aread(a.get(), H5T_NATIVE_INT8, &b) < 0) fail("cannot read attribute '" + name + "'");
    v = b;
  }
  return v;
}

int64_t H5File::attr_int(const std::string& object, const std::string& name) const {
  return static_cast<int64_t>(attr_double(object, name));
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
