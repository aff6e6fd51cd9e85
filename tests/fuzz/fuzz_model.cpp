// libFuzzer target: the model-file and checkpoint readers (HDF5). libhdf5 is Debian's build, not
// instrumented: this target checks our checks (types, ranks, sizes before reading); a crash inside
// libhdf5 itself is what the command line's child-process read (tools/isolated.h) contains.
#include <exception>

#include "data/model_file.h"
#include "fuzz_file.h"
#include "train/checkpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = gs::fuzz::scratch_file(data, size, ".h5");
  try {
    gs::data::load_model_file(path);
  } catch (const std::exception&) {
  }
  try {
    gs::train::load_checkpoint(path);
  } catch (const std::exception&) {
  }
  return 0;
}
