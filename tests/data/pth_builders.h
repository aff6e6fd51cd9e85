// Builders of torch.save files, pickled as PyTorch writes them: for the pth tests, the bad-input
// table and the fuzzers' seed corpora.
#pragma once
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "data/test_files.h"

namespace gs::test {

// ---- Pickle pieces, written as torch.save writes them (protocol 2) ----

inline std::string pk_str(const std::string& s) { return std::string("X") + le(s.size(), 4) + s; }
inline std::string pk_int(int64_t i) { return std::string("J") + le(static_cast<uint64_t>(i), 4); }
inline std::string pk_tuple(const gs::Shape& values) {
  std::string s = "(";
  for (int64_t v : values) s += pk_int(v);
  return s + "t";
}
inline const std::string kOrderedDict = "ccollections\nOrderedDict\n)R";

// _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks), the storage
// being a persistent id. `view` (legacy only) is the pickled view_metadata, or "N" for None.
inline std::string pk_tensor(const std::string& storage_type, const std::string& storage_key, int64_t numel, int64_t offset,
                      const gs::Shape& size, const gs::Shape& stride, bool legacy = false, const std::string& view = "N") {
  std::string pid = std::string("(") + pk_str("storage") + "ctorch\n" + storage_type + "\n" + pk_str(storage_key) +
                    pk_str("cpu") + pk_int(numel) + (legacy ? view : "") + "t";
  return std::string("ctorch._utils\n_rebuild_tensor_v2\n(") + pid + "Q" + pk_int(offset) + pk_tuple(size) +
         pk_tuple(stride) + "\x89" + kOrderedDict + "tR";
}

// An OrderedDict state dict: pairs of (key, pickled value).
inline std::string pk_state_dict(const std::vector<std::pair<std::string, std::string>>& items) {
  std::string s = "\x80\x02" + kOrderedDict + "(";
  for (const auto& [key, value] : items) s += pk_str(key) + value;
  return s + "u.";
}

inline std::string floats(const std::vector<float>& values) {
  std::string s(values.size() * sizeof(float), '\0');
  std::memcpy(s.data(), values.data(), s.size());
  return s;
}

// A zip-format torch.save file: archive/data.pkl, archive/data/<key>, archive/version.
inline std::string torch_zip(const std::string& pickle, const std::vector<std::pair<std::string, std::string>>& storages) {
  std::vector<gs::test::ZipEntrySpec> entries = {{"archive/data.pkl", pickle}};
  for (const auto& [key, bytes] : storages) entries.push_back({"archive/data/" + key, bytes});
  entries.push_back({"archive/version", "3\n"});
  return gs::test::make_zip(entries);
}

// A legacy torch.save file: magic number, protocol version, sys_info, the state dict, the storage
// keys, then each storage as an int64 element count and its data.
inline std::string torch_legacy(const std::string& pickle,
                         const std::vector<std::pair<std::string, std::vector<float>>>& storages) {
  std::string s = gs::test::unescape(R"(\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.)");
  s += gs::test::unescape(R"(\x80\x02M\xe9\x03.)");  // 1001
  s += gs::test::unescape(R"(\x80\x02}.)");
  s += pickle;
  s += "\x80\x02](";
  for (const auto& [key, values] : storages) s += pk_str(key);
  s += "e.";
  for (const auto& [key, values] : storages) s += le(values.size(), 8) + floats(values);
  return s;
}

}  // namespace gs::test
