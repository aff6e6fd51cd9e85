// libFuzzer target: the pickle reader on its own (no zip or file around it), with the names a
// state dict uses allowed, so that REDUCE, persistent ids, the memo and containers all get reached.
#include <exception>
#include <string_view>

#include "data/pickle_reader.h"

using gs::data::PickleReader;
using gs::data::PickleValue;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  PickleReader reader(bytes, "fuzz");
  reader.allow_function("collections", "OrderedDict", [](const std::vector<PickleValue>&) { return PickleValue::dict(); });
  reader.allow_function("torch._utils", "_rebuild_tensor_v2",
                        [](const std::vector<PickleValue>& args) { return PickleValue::tuple(args); });
  reader.allow_class("torch", "FloatStorage");
  reader.set_persistent_load([](const PickleValue& pid) { return pid; });
  try {
    // Like the legacy format: pickles back to back until the data runs out.
    for (int i = 0; i < 8 && reader.position() < size; ++i) {
      PickleValue v = reader.load();
      (void)v.describe();
    }
  } catch (const std::exception&) {
  }
  return 0;
}
