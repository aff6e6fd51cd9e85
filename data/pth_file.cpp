#include "data/pth_file.h"

#include <bit>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "data/model_file.h"
#include "data/pickle_reader.h"
#include "data/zip_reader.h"

namespace gs::data {

namespace {

static_assert(std::endian::native == std::endian::little,
              "torch.save writes little-endian storages; this reader copies them as they are");

// torch.save's legacy format starts with this number, pickled (torch/serialization.py, MAGIC_NUMBER).
// Little-endian bytes of 0x1950a86a20f9469cfc6c, as LONG1 stores them.
const std::string kLegacyMagic = "\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19";
constexpr int64_t kLegacyProtocolVersion = 1001;

// The storage classes a checkpoint may name; only float32 is loaded, the others are known so that
// a file holding them gets a message naming its dtype.
struct StorageType {
  const char* name;   // the class in module torch
  const char* dtype;  // the PyTorch dtype
  int64_t element_size;
};
// clang-format off
const StorageType kStorageTypes[] = {
    {"FloatStorage", "float32", 4},      {"DoubleStorage", "float64", 8},
    {"HalfStorage", "float16", 2},       {"BFloat16Storage", "bfloat16", 2},
    {"LongStorage", "int64", 8},         {"IntStorage", "int32", 4},
    {"ShortStorage", "int16", 2},        {"CharStorage", "int8", 1},
    {"ByteStorage", "uint8", 1},         {"BoolStorage", "bool", 1},
    {"ComplexFloatStorage", "complex64", 8}, {"ComplexDoubleStorage", "complex128", 16},
    {"QInt8Storage", "qint8", 1},        {"QUInt8Storage", "quint8", 1},
    {"QInt32Storage", "qint32", 4},
};
// clang-format on
const StorageType& float32_storage() { return kStorageTypes[0]; }

// A storage named by a persistent id: a whole root storage or, in the legacy format, a window
// (a "view") into one.
struct StorageRef {
  std::string key;  // the root storage: zip entry data/<key>, or a legacy storage key
  const StorageType* type = nullptr;
  int64_t offset = 0;  // elements into the root storage
  int64_t numel = 0;   // elements in the window
};

// A tensor as the pickle describes it. Its data is copied once every storage has been read (the
// legacy format stores the data after the pickle).
struct TensorRef {
  StorageRef storage;
  int64_t offset = 0;  // elements into the storage window
  Shape size;
  Shape stride;
};

struct RootStorage {
  const StorageType* type = nullptr;
  int64_t numel = 0;
  std::string bytes;  // filled once the data is read
  bool has_data = false;
};

// The storages the main pickle refers to; fills in as persistent ids are read.
struct Storages {
  std::string path;
  uint64_t file_size = 0;  // no storage can hold more bytes than the file
  bool legacy = false;
  std::map<std::string, RootStorage> roots;

  PickleValue from_persistent_id(const PickleValue& pid);
};

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
  throw std::runtime_error(path + ": " + problem);
}

const StorageType& storage_type_of(const PickleValue& value, const std::string& what) {
  if (value.is<PickleGlobal>()) {
    const PickleGlobal& global = std::get<PickleGlobal>(value.value);
    for (const StorageType& type : kStorageTypes)
      if (global.module == "torch" && global.name == type.name) return type;
  }
  throw std::runtime_error(what + ": expected a torch storage class (torch.FloatStorage), got " + value.describe());
}

PickleValue Storages::from_persistent_id(const PickleValue& pid) {
  const std::string what = path + ": persistent id";
  const std::vector<PickleValue>& id = pid.as_tuple(what);
  if (id.empty()) fail(path, "empty persistent id");
  const std::string& kind = id[0].as_str(what + " type");
  if (kind == "module")
    fail(path, "the file holds a whole pickled nn.Module, not a state dict; save model.state_dict()");
  if (kind != "storage") fail(path, "persistent id of kind '" + kind + "', expected 'storage'");
  const char* layout = legacy ? "('storage', storage_type, root_key, location, numel, view_metadata)"
                              : "('storage', storage_type, key, location, numel)";
  if (id.size() != (legacy ? 6u : 5u))
    fail(path, "a storage persistent id has " + std::to_string(id.size()) + " fields, expected " + layout);

  const StorageType& type = storage_type_of(id[1], what + " storage type");
  const std::string& key = id[2].as_str(what + " storage key");
  int64_t numel = id[4].as_int(what + " element count of storage '" + key + "'");
  if (numel < 0) fail(path, "storage '" + key + "' has a negative element count");
  // Checked here, before anything is allocated: numel x element size may neither overflow nor
  // exceed the bytes the file has.
  if (static_cast<uint64_t>(numel) > file_size / static_cast<uint64_t>(type.element_size))
    fail(path, "storage '" + key + "' claims " + std::to_string(numel) + " " + type.dtype +
                   " elements, more than the file's " + std::to_string(file_size) + " bytes can hold");
  auto [root, inserted] = roots.try_emplace(key, RootStorage{&type, numel, "", false});
  if (!inserted && (root->second.type != &type || root->second.numel != numel))
    fail(path, "storage '" + key + "' is referenced twice with different types or sizes");

  StorageRef ref{key, &type, 0, numel};
  if (legacy && !id[5].is_none()) {
    // (view_key, offset, size): a window into the root storage (old PyTorch shared storages).
    const std::vector<PickleValue>& view = id[5].as_tuple(what + " view metadata");
    if (view.size() != 3)
      fail(path, "storage view metadata has " + std::to_string(view.size()) + " fields, expected 3");
    ref.offset = view[1].as_int(what + " view offset");
    ref.numel = view[2].as_int(what + " view size");
    if (ref.offset < 0 || ref.numel < 0 || ref.offset > numel || ref.numel > numel - ref.offset)
      fail(path, "a view of storage '" + key + "' (offset " + std::to_string(ref.offset) + ", size " +
                     std::to_string(ref.numel) + ") does not fit its " + std::to_string(numel) + " elements");
  }
  return PickleObject{"storage", ref};
}

Shape int_tuple(const PickleValue& value, const std::string& what) {
  Shape out;
  for (const PickleValue& item : value.as_tuple(what)) {
    out.push_back(item.as_int(what));
    if (out.back() < 0) throw std::runtime_error(what + ": negative value " + std::to_string(out.back()));
  }
  return out;
}

// torch._utils._rebuild_tensor(storage, storage_offset, size, stride) and _rebuild_tensor_v2, which
// adds requires_grad, backward_hooks and (since PyTorch 1.13) metadata; those are not needed here.
PickleValue rebuild_tensor(const std::vector<PickleValue>& args, const std::string& path, const std::string& function,
                           size_t min_args, size_t max_args) {
  const std::string what = path + ": " + function;
  if (args.size() < min_args || args.size() > max_args)
    fail(path, function + " called with " + std::to_string(args.size()) + " arguments, expected " +
                   std::to_string(min_args) + (min_args == max_args ? "" : " to " + std::to_string(max_args)));
  if (!args[0].is_object("storage"))
    fail(path, function + ": argument 1 is " + args[0].describe() + ", expected a storage (a persistent id)");
  TensorRef tensor;
  tensor.storage = std::any_cast<StorageRef>(std::get<PickleObject>(args[0].value).payload);
  tensor.offset = args[1].as_int(what + " storage offset");
  if (tensor.offset < 0) fail(path, function + ": negative storage offset");
  tensor.size = int_tuple(args[2], what + " size");
  tensor.stride = int_tuple(args[3], what + " stride");
  if (tensor.size.size() != tensor.stride.size())
    fail(path, function + ": size " + shape_str(tensor.size) + " and stride " + shape_str(tensor.stride) +
                   " have different lengths");
  return PickleObject{"tensor", tensor};
}

// The Python names a state dict may use: nothing else is accepted.
void allow_torch_globals(PickleReader& reader, const std::string& path) {
  reader.allow_function("collections", "OrderedDict", [path](const std::vector<PickleValue>& args) {
    if (!args.empty()) fail(path, "OrderedDict called with arguments; a state dict fills it item by item");
    return PickleValue::dict();
  });
  reader.allow_function("torch._utils", "_rebuild_tensor_v2", [path](const std::vector<PickleValue>& args) {
    return rebuild_tensor(args, path, "torch._utils._rebuild_tensor_v2", 6, 7);
  });
  reader.allow_function("torch._utils", "_rebuild_tensor", [path](const std::vector<PickleValue>& args) {
    return rebuild_tensor(args, path, "torch._utils._rebuild_tensor", 4, 4);
  });
  // nn.Parameter(data, requires_grad, backward_hooks): the tensor is all a state dict needs.
  reader.allow_function("torch._utils", "_rebuild_parameter", [path](const std::vector<PickleValue>& args) {
    if (args.size() != 3 || !args[0].is_object("tensor"))
      fail(path, "torch._utils._rebuild_parameter expects (tensor, requires_grad, backward_hooks)");
    return args[0];
  });
  for (const StorageType& type : kStorageTypes) reader.allow_class("torch", type.name);
}

// Checks that the top-level object is a dict of str -> float32 tensor, before any data is read.
std::vector<std::pair<std::string, TensorRef>> state_dict_entries(const PickleValue& top, const std::string& path) {
  if (!top.is_dict())
    fail(path, "the saved object (" + top.describe() + ") is not a dict of str -> tensor (a state dict)");
  std::vector<std::pair<std::string, TensorRef>> entries;
  for (const auto& [key, value] : top.as_dict(path).items) {
    if (!key.is<std::string>()) fail(path, "state dict key " + key.describe() + " is not a str");
    const std::string& name = std::get<std::string>(key.value);
    if (!value.is_object("tensor"))
      fail(path, "entry '" + name + "' (" + value.describe() +
                     ") is not a tensor (is this a training checkpoint holding a state dict?)");
    const TensorRef& tensor = std::any_cast<const TensorRef&>(std::get<PickleObject>(value.value).payload);
    if (tensor.storage.type != &float32_storage())
      fail(path, "tensor '" + name + "' has dtype " + tensor.storage.type->dtype + " (torch." +
                     tensor.storage.type->name + "); only float32 (torch.FloatStorage) is supported");
    entries.emplace_back(name, tensor);
  }
  return entries;
}

// a * b + c, or an error if it overflows int64 (sizes and strides come from the file).
int64_t multiply_add(int64_t a, int64_t b, int64_t c, const std::string& path, const std::string& name) {
  int64_t product = 0, sum = 0;
  if (__builtin_mul_overflow(a, b, &product) || __builtin_add_overflow(product, c, &sum))
    fail(path, "tensor '" + name + "' has sizes and strides too large to address");
  return sum;
}

// A contiguous float32 copy of the tensor, honouring its storage offset and strides.
Tensor materialize(const std::string& name, const TensorRef& ref, const RootStorage& root, const std::string& path) {
  const StorageRef& storage = ref.storage;
  if (!root.has_data) fail(path, "storage '" + storage.key + "' of tensor '" + name + "' has no data in the file");
  int64_t numel = 1;
  for (int64_t size : ref.size) numel = multiply_add(numel, size, 0, path, name);
  if (numel == 0) return Tensor::empty(ref.size);
  // A state dict's tensors never repeat elements (stride 0), so a tensor holds at most as many
  // elements as its storage: checked before allocating for it.
  if (numel > storage.numel)
    fail(path, "tensor '" + name + "' (size " + shape_str(ref.size) + ") has " + std::to_string(numel) +
                   " elements but its storage '" + storage.key + "' has only " + std::to_string(storage.numel) +
                   ": the file is inconsistent");

  // The last element the view touches must lie inside its storage window.
  int64_t last = ref.offset;
  for (size_t d = 0; d < ref.size.size(); ++d) last = multiply_add(ref.size[d] - 1, ref.stride[d], last, path, name);
  if (last >= storage.numel)
    fail(path, "tensor '" + name + "' (size " + shape_str(ref.size) + ", stride " + shape_str(ref.stride) +
                   ", offset " + std::to_string(ref.offset) + ") reaches element " + std::to_string(last) +
                   " but its storage '" + storage.key + "' has " + std::to_string(storage.numel) +
                   " elements: the file is inconsistent");

  if (static_cast<uint64_t>(storage.offset + last + 1) * sizeof(float) > root.bytes.size())
    fail(path, "tensor '" + name + "' reaches past the data of storage '" + storage.key + "'");
  Tensor out = Tensor::empty(ref.size);
  const char* base = root.bytes.data() + (storage.offset + ref.offset) * sizeof(float);
  float* dst = out.data();
  if (ref.stride == contiguous_strides(ref.size)) {
    std::memcpy(dst, base, numel * sizeof(float));
    return out;
  }
  // Walk the elements in row-major order, carrying an index like an odometer.
  Shape index(ref.size.size(), 0);
  int64_t src = 0;  // element offset of `index` from base
  for (int64_t i = 0; i < numel; ++i) {
    std::memcpy(dst + i, base + src * sizeof(float), sizeof(float));
    for (size_t d = ref.size.size(); d-- > 0;) {
      if (++index[d] < ref.size[d]) {
        src += ref.stride[d];
        break;
      }
      src -= (ref.size[d] - 1) * ref.stride[d];
      index[d] = 0;
    }
  }
  return out;
}

StateDict materialize_all(const std::vector<std::pair<std::string, TensorRef>>& entries, const Storages& storages,
                          const std::string& path) {
  StateDict state;
  for (const auto& [name, ref] : entries) {
    Tensor t = materialize(name, ref, storages.roots.at(ref.storage.key), path);
    check_finite(path, name, t);
    state[name] = std::move(t);
  }
  return state;
}

StateDict load_zip_format(const std::string& path) {
  ZipReader zip(path);
  // Every entry sits in one top folder whose name is arbitrary (the file's stem, or "archive").
  std::string pickle_name;
  for (const std::string& name : zip.names()) {
    size_t slash = name.find('/');
    if (slash != std::string::npos && name.substr(slash + 1) == "data.pkl") pickle_name = name;
  }
  if (pickle_name.empty())
    fail(path, "a zip archive without <folder>/data.pkl: not a torch.save file (PyTorch >= 1.6 writes one)");
  const std::string folder = pickle_name.substr(0, pickle_name.size() - std::string("data.pkl").size());
  if (zip.has(folder + "byteorder") && zip.read(folder + "byteorder") != "little")
    fail(path, "the storages are big-endian; only little-endian files are supported");

  const std::string pickle = zip.read(pickle_name);
  PickleReader reader(pickle, path + ":" + pickle_name);
  Storages storages{path, std::filesystem::file_size(path), false, {}};
  allow_torch_globals(reader, path);
  reader.set_persistent_load([&storages](const PickleValue& pid) { return storages.from_persistent_id(pid); });
  auto entries = state_dict_entries(reader.load(), path);

  for (auto& [key, root] : storages.roots) {
    const std::string entry = folder + "data/" + key;
    if (!zip.has(entry)) fail(path, "storage '" + key + "' has no entry " + entry + " in the archive");
    uint64_t expected = static_cast<uint64_t>(root.numel) * root.type->element_size;
    if (zip.size(entry) != expected)
      fail(path, "entry " + entry + " has " + std::to_string(zip.size(entry)) + " bytes, expected " +
                     std::to_string(expected) + " (" + std::to_string(root.numel) + " " + root.type->dtype +
                     " elements): the file is inconsistent");
    root.bytes = zip.read(entry);
    root.has_data = true;
  }
  return materialize_all(entries, storages, path);
}

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot open for reading");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) fail(path, "read error");
  return bytes;
}

// The legacy format: pickles back to back (magic number, protocol version, sys_info, the state
// dict, the list of storage keys), then for each key in that order an int64 element count and the
// raw little-endian elements.
StateDict load_legacy_format(const std::string& path) {
  const std::string bytes = read_whole_file(path);
  PickleReader reader(bytes, path);
  PickleValue magic = reader.load();
  if (!magic.is<PickleBigInt>() || std::get<PickleBigInt>(magic.value).little_endian != kLegacyMagic)
    fail(path, "starts with a pickled " + magic.describe() +
                   ", expected torch.save's magic number 0x1950a86a20f9469cfc6c: not a PyTorch checkpoint");
  int64_t version = reader.load().as_int(path + ": legacy protocol version");
  if (version != kLegacyProtocolVersion)
    fail(path,
         "legacy protocol version " + std::to_string(version) + ", expected " + std::to_string(kLegacyProtocolVersion));
  PickleValue sys_info = reader.load();
  for (const auto& [key, value] : sys_info.as_dict(path + ": sys_info").items)
    if (key.is<std::string>() && std::get<std::string>(key.value) == "little_endian" && value.is<bool>() &&
        !std::get<bool>(value.value))
      fail(path, "written on a big-endian machine; only little-endian files are supported");

  Storages storages{path, bytes.size(), true, {}};
  allow_torch_globals(reader, path);
  reader.set_persistent_load([&storages](const PickleValue& pid) { return storages.from_persistent_id(pid); });
  auto entries = state_dict_entries(reader.load(), path);

  PickleValue keys = reader.load();
  if (!keys.is_list()) fail(path, "after the state dict, expected the list of storage keys, got " + keys.describe());
  size_t pos = reader.position();
  for (const PickleValue& key_value : std::get<std::shared_ptr<PickleList>>(keys.value)->items) {
    const std::string& key = key_value.as_str(path + ": storage key");
    auto it = storages.roots.find(key);
    if (it == storages.roots.end()) fail(path, "storage '" + key + "' has data but no tensor uses it");
    RootStorage& root = it->second;
    if (bytes.size() - pos < 8)
      fail(path, "truncated: the file ends at byte " + std::to_string(bytes.size()) + " where the size of storage '" +
                     key + "' should be");
    int64_t count = 0;
    std::memcpy(&count, bytes.data() + pos, 8);
    pos += 8;
    if (count != root.numel)
      fail(path, "storage '" + key + "' holds " + std::to_string(count) + " elements, the pickle says " +
                     std::to_string(root.numel) + ": the file is inconsistent");
    uint64_t size = static_cast<uint64_t>(count) * root.type->element_size;
    if (bytes.size() - pos < size)
      fail(path, "truncated: storage '" + key + "' needs " + std::to_string(size) + " bytes from byte " +
                     std::to_string(pos) + " but the file ends at byte " + std::to_string(bytes.size()));
    root.bytes = bytes.substr(pos, size);
    root.has_data = true;
    pos += size;
  }
  return materialize_all(entries, storages, path);
}

}  // namespace

StateDict load_pth_state_dict(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) fail(path, "no such file (expected a PyTorch .pth state dict)");
  if (fs::is_directory(path, ec)) fail(path, "is a directory, expected a PyTorch .pth file");

  char head[4] = {};
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path, "cannot open for reading");
    in.read(head, sizeof head);
    if (in.gcount() == 0) fail(path, "is empty, expected a PyTorch .pth file");
  }
  // torch.load tells the formats apart the same way: a zip archive starts with a local file header.
  if (std::memcmp(head, "PK\x03\x04", 4) == 0) return load_zip_format(path);
  if (static_cast<unsigned char>(head[0]) == 0x80) return load_legacy_format(path);  // pickle PROTO opcode
  fail(path,
       "not a PyTorch checkpoint: expected a zip archive (torch.save since PyTorch 1.6, starting with 'PK') "
       "or a legacy torch.save file (a pickle, starting with byte 0x80)");
}

}  // namespace gs::data
