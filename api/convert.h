// Between the public API's types and the library's, and from the library's exceptions to the API's.
#pragma once
#include <new>
#include <stdexcept>
#include <utility>

#include "graphstyle/error.hpp"
#include "graphstyle/image.hpp"
#include "tensor/tensor.h"

namespace graphstyle::detail {

// image -> [1,3,H,W]; throws OptionError (field `what`) for an empty or inconsistent image.
gs::Tensor to_tensor(const Image& image, const char* what);
// [1,3,H,W] or [3,H,W] -> image, clamped to [0, 1].
Image to_image(const gs::Tensor& t);

// Runs f, turning the library's standard exceptions into graphstyle::Error with the same message.
template <class F>
auto translate(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw Error(ErrorCode::out_of_memory, "out of memory");
  } catch (const std::invalid_argument& e) {
    throw Error(ErrorCode::invalid_argument, e.what());
  } catch (const std::logic_error& e) {
    throw Error(ErrorCode::internal, std::string("internal error: ") + e.what());
  } catch (const std::exception& e) {
    throw Error(ErrorCode::file, e.what());
  }
}

}  // namespace graphstyle::detail
