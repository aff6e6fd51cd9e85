// libFuzzer target: the .pth reader, both formats (zip through libzip, legacy pickle streams).
// A std::exception is the expected outcome for bad input; anything else (a sanitizer report, a
// crash, a timeout, an allocation beyond -rss_limit_mb) is a finding.
#include <exception>

#include "data/pth_file.h"
#include "fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = gs::fuzz::scratch_file(data, size, ".pth");
  try {
    gs::data::load_pth_state_dict(path);
  } catch (const std::exception&) {
  }
  return 0;
}
