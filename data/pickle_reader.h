// PickleReader: reads the subset of Python's pickle format (protocol 2, plus the few protocol 4
// opcodes a newer pickler may emit) that PyTorch state dicts use.
//
// Nothing is ever executed. A GLOBAL (a reference to a Python class or function) is accepted only
// when the caller allowed it by name; calling one (REDUCE) runs the C++ function the caller gave for
// it. Persistent ids (torch's references to tensor storages) are handed to a caller's function.
// Any other opcode is refused with its code, name and byte offset.
#pragma once
#include <any>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace gs::data {

struct PickleValue;

struct PickleNone {};
// An int too wide for int64 (LONG1 with more than 8 bytes), kept as its little-endian
// two's-complement bytes; torch's legacy magic number is one.
struct PickleBigInt {
  std::string little_endian;
};
// A reference to an allowed Python class or function, e.g. torch.FloatStorage.
struct PickleGlobal {
  std::string module;
  std::string name;
  std::string full_name() const { return module + "." + name; }
};
// Something a caller's function built (a storage reference, a tensor); `kind` names it in messages.
struct PickleObject {
  std::string kind;
  std::any payload;
};
// Containers are destroyed without recursion (a hostile pickle nests them ~10^5 deep, which a
// recursive destructor cannot survive). `rank` orders them by creation (a tuple takes the lowest
// rank it holds); a list or dict only accepts containers of a higher rank, so no container can ever
// hold itself (a reference cycle would never be freed).
struct PickleTuple {
  std::vector<PickleValue> items;
  uint64_t rank = 0;
  ~PickleTuple();
};
struct PickleList {
  std::vector<PickleValue> items;
  uint64_t rank = 0;
  ~PickleList();
};
// Keeps insertion order, as Python dicts do; keys that Python compares by value (None, bool, int,
// str) are found through a hash index, so filling a dict of n keys is linear, not quadratic.
struct PickleDict {
  std::vector<std::pair<PickleValue, PickleValue>> items;
  std::unordered_map<std::string, size_t> index;  // encoded key -> position in items
  uint64_t rank = 0;
  ~PickleDict();
  // Replaces the value of an equal key (None, bool, int or str), else appends.
  void set(PickleValue key, PickleValue value);
};

// One Python value. Lists, tuples and dicts are shared, as in Python: the pickle memo hands out the
// same object again, and items added later are seen through every reference.
struct PickleValue {
  using Variant = std::variant<PickleNone, bool, int64_t, double, std::string, PickleBigInt, PickleGlobal, PickleObject,
                               std::shared_ptr<PickleTuple>, std::shared_ptr<PickleList>, std::shared_ptr<PickleDict>>;
  Variant value;

  PickleValue() = default;
  // Implicit on purpose: PickleValue(3), PickleValue("cpu"), PickleValue(true) read like Python.
  // clang-format off
  template <class T>
    requires(!std::is_same_v<std::decay_t<T>, PickleValue> && std::is_constructible_v<Variant, T>)
  PickleValue(T v) : value(std::move(v)) {}
  // clang-format on
  PickleValue(int v) : value(int64_t{v}) {}
  PickleValue(const char* s) : value(std::string(s)) {}

  static PickleValue tuple(std::vector<PickleValue> items);
  static PickleValue list(std::vector<PickleValue> items = {});
  static PickleValue dict();

  template <class T>
  bool is() const {
    return std::holds_alternative<T>(value);
  }
  bool is_none() const { return is<PickleNone>(); }
  bool is_tuple() const { return is<std::shared_ptr<PickleTuple>>(); }
  bool is_list() const { return is<std::shared_ptr<PickleList>>(); }
  bool is_dict() const { return is<std::shared_ptr<PickleDict>>(); }
  bool is_object(const std::string& kind) const {
    return is<PickleObject>() && std::get<PickleObject>(value).kind == kind;
  }

  // Typed access; throws std::runtime_error saying what was found instead of `what`.
  int64_t as_int(const std::string& what) const;
  const std::string& as_str(const std::string& what) const;
  const std::vector<PickleValue>& as_tuple(const std::string& what) const;
  const PickleDict& as_dict(const std::string& what) const;

  // Short description for error messages: "None", "int 3", "str '0.weight'", "tuple of 5", ...
  std::string describe() const;
  // The container's rank (see PickleTuple), or 0 for a value that holds no others.
  uint64_t rank() const;
};

class PickleReader {
 public:
  // Builds the result of calling an allowed function with `args` (a tuple).
  using Function = std::function<PickleValue(const std::vector<PickleValue>& args)>;
  // Turns a persistent id into the object it stands for.
  using PersistentLoad = std::function<PickleValue(const PickleValue& pid)>;

  // `bytes` must outlive the reader; `source` names the data in every error message (a file name,
  // or "file.pth:archive/data.pkl").
  PickleReader(std::string_view bytes, std::string source);

  // A GLOBAL that may be referenced but not called (torch.FloatStorage names a dtype).
  void allow_class(const std::string& module, const std::string& name);
  // A GLOBAL that may be called by REDUCE; `function` builds the result.
  void allow_function(const std::string& module, const std::string& name, Function function);
  void set_persistent_load(PersistentLoad load) { persistent_load_ = std::move(load); }

  // Reads one pickle, through its STOP opcode. Call again to read the next pickle of a sequence
  // (torch's legacy format is several pickles back to back).
  PickleValue load();
  // Limits that keep a hostile pickle's cost linear in its size.
  static constexpr size_t kMaxMemo = 1 << 20;  // memo entries
  // Bytes that memo look-ups may copy (a string fetched again and again), on top of 8x the input.
  static constexpr size_t kCopyAllowance = size_t{1} << 20;

  // Byte offset just after the last STOP read.
  size_t position() const { return pos_; }
  const std::string& source() const { return source_; }

 private:
  struct Allowed {
    bool callable = false;
    Function function;
  };

  [[noreturn]] void fail(const std::string& problem, size_t at) const;
  void need(size_t count, const char* what) const;
  uint64_t read_uint(int width, const char* what);
  std::string read_bytes(size_t count, const char* what);
  std::string read_line(const char* what);
  PickleValue pop(size_t at);
  std::vector<PickleValue> pop_to_mark(size_t at);
  PickleValue& top(size_t at);
  PickleValue make_global(const std::string& module, const std::string& name, size_t at) const;
  void reduce(size_t at);
  void memo_put(uint64_t index, size_t at);
  PickleValue memo_get(uint64_t index, size_t at);
  PickleValue read_long1(size_t at);
  void check_insert(const PickleValue& container, const PickleValue& item, size_t at) const;

  std::string_view bytes_;
  std::string source_;
  size_t pos_ = 0;
  std::map<std::string, Allowed> allowed_;  // by "module.name"
  PersistentLoad persistent_load_;
  std::vector<PickleValue> stack_;
  std::vector<size_t> marks_;  // stack sizes at each MARK
  std::unordered_map<uint64_t, PickleValue> memo_;
  size_t copied_ = 0;  // bytes copied by memo look-ups, see kCopyAllowance
};

// Name of a pickle opcode ("BINPUT"), or "" for a byte that is no opcode.
std::string pickle_opcode_name(unsigned char opcode);

}  // namespace gs::data
