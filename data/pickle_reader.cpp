#include "data/pickle_reader.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace gs::data {

namespace {

// The opcodes this reader understands (pickletools.py documents them all).
enum Opcode : unsigned char {
  MARK = '(',
  STOP = '.',
  BININT = 'J',
  BININT1 = 'K',
  BININT2 = 'M',
  NONE = 'N',
  BINPERSID = 'Q',
  REDUCE = 'R',
  BINSTRING = 'T',
  SHORT_BINSTRING = 'U',
  BINUNICODE = 'X',
  APPEND = 'a',
  BUILD = 'b',
  GLOBAL = 'c',
  EMPTY_DICT = '}',
  APPENDS = 'e',
  BINGET = 'h',
  LONG_BINGET = 'j',
  EMPTY_LIST = ']',
  BINPUT = 'q',
  LONG_BINPUT = 'r',
  SETITEM = 's',
  TUPLE = 't',
  EMPTY_TUPLE = ')',
  SETITEMS = 'u',
  BINFLOAT = 'G',
  PROTO = 0x80,
  TUPLE1 = 0x85,
  TUPLE2 = 0x86,
  TUPLE3 = 0x87,
  NEWTRUE = 0x88,
  NEWFALSE = 0x89,
  LONG1 = 0x8a,
  SHORT_BINUNICODE = 0x8c,
  BINUNICODE8 = 0x8d,
  STACK_GLOBAL = 0x93,
  MEMOIZE = 0x94,
  FRAME = 0x95,
};

constexpr int kHighestProtocol = 5;

std::string hex_byte(unsigned char b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", b);
  return buf;
}

std::string quoted(const std::string& s) {
  constexpr size_t kMax = 40;
  return "'" + (s.size() > kMax ? s.substr(0, kMax) + "..." : s) + "'";
}

// Keys that compare by value in Python and can appear in a state dict, encoded for the dict's hash
// index; false for any other key (kept, but never matched, as no state dict has one).
bool key_code(const PickleValue& key, std::string* code) {
  if (key.is<PickleNone>()) *code = "n";
  else if (key.is<bool>()) *code = std::get<bool>(key.value) ? "i1" : "i0";  // True == 1 in Python
  else if (key.is<int64_t>()) *code = "i" + std::to_string(std::get<int64_t>(key.value));
  else if (key.is<std::string>()) *code = "s" + std::get<std::string>(key.value);
  else return false;
  return true;
}

std::atomic<uint64_t> next_rank{1};

// Containers whose last owner goes away are parked here and destroyed one at a time by the
// outermost destructor, so destroying a deeply nested value takes a loop, not a deep recursion.
struct Graveyard {
  std::vector<PickleValue> pending;
  bool draining = false;
};
thread_local Graveyard graveyard;

bool holds_container(const PickleValue& v) {
  return v.is<std::shared_ptr<PickleTuple>>() || v.is<std::shared_ptr<PickleList>>() ||
         v.is<std::shared_ptr<PickleDict>>();
}

void bury(PickleValue& v) {
  if (holds_container(v)) graveyard.pending.push_back(std::move(v));
}

void drain() {
  if (graveyard.draining) return;
  graveyard.draining = true;
  while (!graveyard.pending.empty()) {
    PickleValue last = std::move(graveyard.pending.back());
    graveyard.pending.pop_back();
    // `last` dies here; its children, if it held the last reference, are parked by bury().
  }
  graveyard.draining = false;
}

}  // namespace

std::string pickle_opcode_name(unsigned char opcode) {
  // clang-format off
  static const std::map<unsigned char, const char*> names = {
      {'(', "MARK"},          {'.', "STOP"},          {'0', "POP"},          {'1', "POP_MARK"},
      {'2', "DUP"},           {'F', "FLOAT"},         {'I', "INT"},          {'J', "BININT"},
      {'K', "BININT1"},       {'L', "LONG"},          {'M', "BININT2"},      {'N', "NONE"},
      {'P', "PERSID"},        {'Q', "BINPERSID"},     {'R', "REDUCE"},       {'S', "STRING"},
      {'T', "BINSTRING"},     {'U', "SHORT_BINSTRING"}, {'V', "UNICODE"},    {'X', "BINUNICODE"},
      {'a', "APPEND"},        {'b', "BUILD"},         {'c', "GLOBAL"},       {'d', "DICT"},
      {'}', "EMPTY_DICT"},    {'e', "APPENDS"},       {'g', "GET"},          {'h', "BINGET"},
      {'i', "INST"},          {'j', "LONG_BINGET"},   {'l', "LIST"},         {']', "EMPTY_LIST"},
      {'o', "OBJ"},           {'p', "PUT"},           {'q', "BINPUT"},       {'r', "LONG_BINPUT"},
      {'s', "SETITEM"},       {'t', "TUPLE"},         {')', "EMPTY_TUPLE"},  {'u', "SETITEMS"},
      {'G', "BINFLOAT"},      {0x80, "PROTO"},        {0x81, "NEWOBJ"},      {0x82, "EXT1"},
      {0x83, "EXT2"},         {0x84, "EXT4"},         {0x85, "TUPLE1"},      {0x86, "TUPLE2"},
      {0x87, "TUPLE3"},       {0x88, "NEWTRUE"},      {0x89, "NEWFALSE"},    {0x8a, "LONG1"},
      {0x8b, "LONG4"},        {'B', "BINBYTES"},      {'C', "SHORT_BINBYTES"}, {0x8c, "SHORT_BINUNICODE"},
      {0x8d, "BINUNICODE8"},  {0x8e, "BINBYTES8"},    {0x8f, "EMPTY_SET"},   {0x90, "ADDITEMS"},
      {0x91, "FROZENSET"},    {0x92, "NEWOBJ_EX"},    {0x93, "STACK_GLOBAL"}, {0x94, "MEMOIZE"},
      {0x95, "FRAME"},        {0x96, "BYTEARRAY8"},   {0x97, "NEXT_BUFFER"}, {0x98, "READONLY_BUFFER"},
  };
  // clang-format on
  auto it = names.find(opcode);
  return it == names.end() ? "" : it->second;
}

// ---- PickleValue ----

PickleTuple::~PickleTuple() {
  for (PickleValue& v : items) bury(v);
  items.clear();
  drain();
}
PickleList::~PickleList() {
  for (PickleValue& v : items) bury(v);
  items.clear();
  drain();
}
PickleDict::~PickleDict() {
  for (auto& [k, v] : items) {
    bury(k);
    bury(v);
  }
  items.clear();
  drain();
}

void PickleDict::set(PickleValue key, PickleValue value) {
  std::string code;
  if (key_code(key, &code)) {
    auto [it, inserted] = index.try_emplace(std::move(code), items.size());
    if (!inserted) {
      items[it->second].second = std::move(value);
      return;
    }
  }
  items.emplace_back(std::move(key), std::move(value));
}

PickleValue PickleValue::tuple(std::vector<PickleValue> items) {
  auto t = std::make_shared<PickleTuple>();
  t->rank = next_rank++;
  for (const PickleValue& v : items)
    if (v.rank()) t->rank = std::min(t->rank, v.rank());
  t->items = std::move(items);
  return PickleValue(std::move(t));
}
PickleValue PickleValue::list(std::vector<PickleValue> items) {
  auto l = std::make_shared<PickleList>();
  l->rank = next_rank++;
  for (const PickleValue& v : items)  // as for tuples: built from existing values
    if (v.rank()) l->rank = std::min(l->rank, v.rank());
  l->items = std::move(items);
  return PickleValue(std::move(l));
}
PickleValue PickleValue::dict() {
  auto d = std::make_shared<PickleDict>();
  d->rank = next_rank++;
  return PickleValue(std::move(d));
}

uint64_t PickleValue::rank() const {
  if (is_tuple()) return std::get<std::shared_ptr<PickleTuple>>(value)->rank;
  if (is_list()) return std::get<std::shared_ptr<PickleList>>(value)->rank;
  if (is_dict()) return std::get<std::shared_ptr<PickleDict>>(value)->rank;
  return 0;
}

int64_t PickleValue::as_int(const std::string& what) const {
  if (!is<int64_t>()) throw std::runtime_error(what + ": expected an int, got " + describe());
  return std::get<int64_t>(value);
}

const std::string& PickleValue::as_str(const std::string& what) const {
  if (!is<std::string>()) throw std::runtime_error(what + ": expected a str, got " + describe());
  return std::get<std::string>(value);
}

const std::vector<PickleValue>& PickleValue::as_tuple(const std::string& what) const {
  if (!is_tuple()) throw std::runtime_error(what + ": expected a tuple, got " + describe());
  return std::get<std::shared_ptr<PickleTuple>>(value)->items;
}

const PickleDict& PickleValue::as_dict(const std::string& what) const {
  if (!is_dict()) throw std::runtime_error(what + ": expected a dict, got " + describe());
  return *std::get<std::shared_ptr<PickleDict>>(value);
}

std::string PickleValue::describe() const {
  struct Describe {
    std::string operator()(const PickleNone&) const { return "None"; }
    std::string operator()(bool b) const { return b ? "True" : "False"; }
    std::string operator()(int64_t i) const { return "int " + std::to_string(i); }
    std::string operator()(double d) const { return "float " + std::to_string(d); }
    std::string operator()(const std::string& s) const { return "str " + quoted(s); }
    std::string operator()(const PickleBigInt& b) const {
      return "int of " + std::to_string(b.little_endian.size()) + " bytes";
    }
    std::string operator()(const PickleGlobal& g) const { return "global " + g.full_name(); }
    std::string operator()(const PickleObject& o) const { return o.kind; }
    std::string operator()(const std::shared_ptr<PickleTuple>& t) const {
      return "tuple of " + std::to_string(t->items.size());
    }
    std::string operator()(const std::shared_ptr<PickleList>& l) const {
      return "list of " + std::to_string(l->items.size());
    }
    std::string operator()(const std::shared_ptr<PickleDict>& d) const {
      return "dict of " + std::to_string(d->items.size());
    }
  };
  return std::visit(Describe{}, value);
}

// ---- PickleReader ----

PickleReader::PickleReader(std::string_view bytes, std::string source) : bytes_(bytes), source_(std::move(source)) {}

void PickleReader::allow_class(const std::string& module, const std::string& name) {
  allowed_[module + "." + name] = Allowed{false, nullptr};
}

void PickleReader::allow_function(const std::string& module, const std::string& name, Function function) {
  allowed_[module + "." + name] = Allowed{true, std::move(function)};
}

void PickleReader::fail(const std::string& problem, size_t at) const {
  throw std::runtime_error("pickle " + source_ + ", byte " + std::to_string(at) + ": " + problem);
}

void PickleReader::need(size_t count, const char* what) const {
  if (count > bytes_.size() - pos_)
    fail(std::string("unexpected end of data while reading ") + what + " (" + std::to_string(count) +
             " bytes needed, " + std::to_string(bytes_.size() - pos_) + " left): truncated file?",
         pos_);
}

uint64_t PickleReader::read_uint(int width, const char* what) {
  need(width, what);
  uint64_t v = 0;
  for (int i = width - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes_[pos_ + i]);
  pos_ += width;
  return v;
}

std::string PickleReader::read_bytes(size_t count, const char* what) {
  need(count, what);
  std::string s(bytes_.substr(pos_, count));
  pos_ += count;
  return s;
}

std::string PickleReader::read_line(const char* what) {
  size_t end = bytes_.find('\n', pos_);
  if (end == std::string_view::npos) fail(std::string("unexpected end of data while reading ") + what, pos_);
  std::string s(bytes_.substr(pos_, end - pos_));
  pos_ = end + 1;
  return s;
}

PickleValue PickleReader::pop(size_t at) {
  size_t floor = marks_.empty() ? 0 : marks_.back();
  if (stack_.size() <= floor) fail("malformed pickle: an opcode needs a value but the stack is empty", at);
  PickleValue v = std::move(stack_.back());
  stack_.pop_back();
  return v;
}

std::vector<PickleValue> PickleReader::pop_to_mark(size_t at) {
  if (marks_.empty()) fail("malformed pickle: an opcode needs a MARK but there is none", at);
  size_t mark = marks_.back();
  marks_.pop_back();
  std::vector<PickleValue> items(std::make_move_iterator(stack_.begin() + mark), std::make_move_iterator(stack_.end()));
  stack_.resize(mark);
  return items;
}

PickleValue& PickleReader::top(size_t at) {
  size_t floor = marks_.empty() ? 0 : marks_.back();
  if (stack_.size() <= floor) fail("malformed pickle: an opcode needs a value but the stack is empty", at);
  return stack_.back();
}

PickleValue PickleReader::make_global(const std::string& module, const std::string& name, size_t at) const {
  std::string full = module + "." + name;
  if (!allowed_.count(full)) {
    std::string list;
    for (const auto& [allowed_name, allowed] : allowed_) list += (list.empty() ? "" : ", ") + allowed_name;
    fail("GLOBAL '" + full +
             "' is not allowed (nothing in the file is ever executed); allowed: " + (list.empty() ? "none" : list),
         at);
  }
  return PickleGlobal{module, name};
}

void PickleReader::reduce(size_t at) {
  PickleValue args = pop(at);
  PickleValue callable = pop(at);
  if (!callable.is<PickleGlobal>()) fail("REDUCE calls " + callable.describe() + ", expected an allowed GLOBAL", at);
  if (!args.is_tuple()) fail("REDUCE with arguments " + args.describe() + ", expected a tuple", at);
  const PickleGlobal& global = std::get<PickleGlobal>(callable.value);
  const Allowed& allowed = allowed_.at(global.full_name());
  if (!allowed.callable) fail("'" + global.full_name() + "' may be referenced but not called", at);
  stack_.push_back(allowed.function(args.as_tuple("REDUCE arguments")));
}

void PickleReader::memo_put(uint64_t index, size_t at) {
  if (memo_.size() >= kMaxMemo && !memo_.count(index))
    fail("more than " + std::to_string(kMaxMemo) + " memo entries: not a state dict", at);
  memo_[index] = top(at);
}

PickleValue PickleReader::memo_get(uint64_t index, size_t at) {
  auto it = memo_.find(index);
  if (it == memo_.end()) fail("malformed pickle: memo entry " + std::to_string(index) + " was never stored", at);
  // Strings are copied on every fetch: a long one fetched again and again would cost the square of
  // the file size.
  if (it->second.is<std::string>()) {
    copied_ += std::get<std::string>(it->second.value).size();
    if (copied_ > kCopyAllowance + 8 * bytes_.size())
      fail("memo look-ups copy more than " + std::to_string(kCopyAllowance + 8 * bytes_.size()) +
               " bytes of strings: not a state dict",
           at);
  }
  return it->second;
}

void PickleReader::check_insert(const PickleValue& container, const PickleValue& item, size_t at) const {
  if (item.rank() && item.rank() <= container.rank())
    fail("malformed pickle: " + container.describe() + " would hold itself or a container made before it; "
         "state dicts never do (it could form a reference cycle)", at);
}

PickleValue PickleReader::read_long1(size_t at) {
  size_t n = read_uint(1, "LONG1 length");
  std::string bytes = read_bytes(n, "LONG1 value");
  if (n > 8) return PickleBigInt{bytes};
  uint64_t v = 0;
  for (size_t i = n; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(bytes[i]);
  bool negative = n > 0 && (static_cast<unsigned char>(bytes[n - 1]) & 0x80);
  if (negative && n < 8) v |= ~uint64_t{0} << (8 * n);  // sign-extend
  return static_cast<int64_t>(v);
}

PickleValue PickleReader::load() {
  // Each pickle of a sequence has its own memo, as each pickle.load() in Python does.
  stack_.clear();
  marks_.clear();
  memo_.clear();
  copied_ = 0;
  while (true) {
    size_t at = pos_;
    need(1, "an opcode");
    auto op = static_cast<unsigned char>(bytes_[pos_++]);
    switch (op) {
      case PROTO: {
        uint64_t protocol = read_uint(1, "protocol number");
        if (protocol > kHighestProtocol) fail("pickle protocol " + std::to_string(protocol) + " is unknown", at);
        break;
      }
      case FRAME: read_uint(8, "frame length"); break;  // frames only help buffered readers
      case MARK: marks_.push_back(stack_.size()); break;
      case STOP: {
        PickleValue result = pop(at);
        if (!stack_.empty() || !marks_.empty()) fail("malformed pickle: values left on the stack at STOP", at);
        return result;
      }
      case GLOBAL: {
        std::string module = read_line("GLOBAL module");
        std::string name = read_line("GLOBAL name");
        stack_.push_back(make_global(module, name, at));
        break;
      }
      case STACK_GLOBAL: {
        std::string name = pop(at).as_str("pickle " + source_ + ": STACK_GLOBAL name");
        std::string module = pop(at).as_str("pickle " + source_ + ": STACK_GLOBAL module");
        stack_.push_back(make_global(module, name, at));
        break;
      }
      case BINPERSID: {
        PickleValue pid = pop(at);
        if (!persistent_load_) fail("persistent id " + pid.describe() + " but no persistent_load was given", at);
        stack_.push_back(persistent_load_(pid));
        break;
      }
      case REDUCE: reduce(at); break;
      case BUILD: {
        // BUILD sets attributes; a state dict's only attribute is `_metadata` (module versions),
        // which loading tensors does not need, so it is dropped.
        PickleValue state = pop(at);
        if (!top(at).is_dict())
          fail("BUILD (setting attributes) is only supported on a dict, found " + top(at).describe(), at);
        break;
      }
      case EMPTY_DICT: stack_.push_back(PickleValue::dict()); break;
      case EMPTY_LIST: stack_.push_back(PickleValue::list()); break;
      case EMPTY_TUPLE: stack_.push_back(PickleValue::tuple({})); break;
      case TUPLE: stack_.push_back(PickleValue::tuple(pop_to_mark(at))); break;
      case TUPLE1:
      case TUPLE2:
      case TUPLE3: {
        std::vector<PickleValue> items(op - TUPLE1 + 1);
        for (size_t i = items.size(); i-- > 0;) items[i] = pop(at);
        stack_.push_back(PickleValue::tuple(std::move(items)));
        break;
      }
      case SETITEM: {
        PickleValue value = pop(at);
        PickleValue key = pop(at);
        PickleValue& dict = top(at);
        if (!dict.is_dict()) fail("SETITEM needs a dict, found " + dict.describe(), at);
        check_insert(dict, key, at);
        check_insert(dict, value, at);
        std::get<std::shared_ptr<PickleDict>>(dict.value)->set(std::move(key), std::move(value));
        break;
      }
      case SETITEMS: {
        std::vector<PickleValue> items = pop_to_mark(at);
        PickleValue& dict = top(at);
        if (!dict.is_dict()) fail("SETITEMS needs a dict, found " + dict.describe(), at);
        if (items.size() % 2) fail("malformed pickle: SETITEMS with an odd number of values", at);
        for (const PickleValue& item : items) check_insert(dict, item, at);
        auto& target = *std::get<std::shared_ptr<PickleDict>>(dict.value);
        for (size_t i = 0; i < items.size(); i += 2) target.set(std::move(items[i]), std::move(items[i + 1]));
        break;
      }
      case APPEND: {
        PickleValue value = pop(at);
        PickleValue& list = top(at);
        if (!list.is_list()) fail("APPEND needs a list, found " + list.describe(), at);
        check_insert(list, value, at);
        std::get<std::shared_ptr<PickleList>>(list.value)->items.push_back(std::move(value));
        break;
      }
      case APPENDS: {
        std::vector<PickleValue> items = pop_to_mark(at);
        PickleValue& list = top(at);
        if (!list.is_list()) fail("APPENDS needs a list, found " + list.describe(), at);
        for (const PickleValue& item : items) check_insert(list, item, at);
        auto& target = std::get<std::shared_ptr<PickleList>>(list.value)->items;
        for (PickleValue& v : items) target.push_back(std::move(v));
        break;
      }
      case BININT: stack_.push_back(int64_t{static_cast<int32_t>(read_uint(4, "BININT value"))}); break;
      case BININT1: stack_.push_back(static_cast<int64_t>(read_uint(1, "BININT1 value"))); break;
      case BININT2: stack_.push_back(static_cast<int64_t>(read_uint(2, "BININT2 value"))); break;
      case LONG1: stack_.push_back(read_long1(at)); break;
      case BINFLOAT: {
        need(8, "BINFLOAT value");
        uint64_t bits = 0;  // big-endian, unlike every other number in a pickle
        for (int i = 0; i < 8; ++i) bits = (bits << 8) | static_cast<unsigned char>(bytes_[pos_ + i]);
        pos_ += 8;
        stack_.push_back(std::bit_cast<double>(bits));
        break;
      }
      case BINUNICODE: stack_.push_back(read_bytes(read_uint(4, "BINUNICODE length"), "BINUNICODE text")); break;
      case SHORT_BINUNICODE:
        stack_.push_back(read_bytes(read_uint(1, "SHORT_BINUNICODE length"), "SHORT_BINUNICODE text"));
        break;
      case BINUNICODE8: stack_.push_back(read_bytes(read_uint(8, "BINUNICODE8 length"), "BINUNICODE8 text")); break;
      case BINSTRING: {
        auto length = static_cast<int32_t>(read_uint(4, "BINSTRING length"));
        if (length < 0) fail("BINSTRING with a negative length", at);
        stack_.push_back(read_bytes(length, "BINSTRING text"));
        break;
      }
      case SHORT_BINSTRING:
        stack_.push_back(read_bytes(read_uint(1, "SHORT_BINSTRING length"), "SHORT_BINSTRING text"));
        break;
      case BINPUT: memo_put(read_uint(1, "BINPUT index"), at); break;
      case LONG_BINPUT: memo_put(read_uint(4, "LONG_BINPUT index"), at); break;
      case MEMOIZE: memo_put(memo_.size(), at); break;
      case BINGET: stack_.push_back(memo_get(read_uint(1, "BINGET index"), at)); break;
      case LONG_BINGET: stack_.push_back(memo_get(read_uint(4, "LONG_BINGET index"), at)); break;
      case NONE: stack_.push_back(PickleNone{}); break;
      case NEWTRUE: stack_.push_back(true); break;
      case NEWFALSE: stack_.push_back(false); break;
      default: {
        std::string name = pickle_opcode_name(op);
        if (name.empty()) fail("unknown opcode " + hex_byte(op) + ": not a pickle, or a damaged one", at);
        fail("unsupported opcode " + hex_byte(op) + " (" + name + "): PyTorch state dicts do not use it", at);
      }
    }
  }
}

}  // namespace gs::data
