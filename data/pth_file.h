// Reads PyTorch `torch.save(state_dict, path)` files without Python: both the zip format
// (PyTorch >= 1.6) and the legacy format of older releases (the 2018 AdaIN weights).
//
// Only what a state dict of float32 tensors needs is understood; anything else (another dtype, a
// non-tensor value, an unknown Python object) is refused with a message naming the file and the
// key. Nothing in the file is executed: Python names are checked against a short allowlist.
#pragma once
#include <map>
#include <string>

#include "tensor/tensor.h"

namespace gs::data {

// Parameter name -> tensor. A std::map, so keys come back sorted by name, not in file order.
using StateDict = std::map<std::string, gs::Tensor>;

// Loads a state dict (a dict of str -> float32 tensor). Every tensor is a fresh contiguous copy,
// whatever its storage offset and strides in the file. Throws std::runtime_error naming the file
// and the problem: missing file, a directory, neither format, truncated, an unsupported dtype, a
// view that runs past its storage, ...
StateDict load_pth_state_dict(const std::string& path);

}  // namespace gs::data
