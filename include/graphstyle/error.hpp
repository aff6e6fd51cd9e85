// The exceptions of graphstyle's C++ API. Every error the library reports is a graphstyle::Error;
// its message names the file, tensor or API field (never a command-line flag) and what was expected.
#pragma once
#include <stdexcept>
#include <string>
#include "graphstyle/export.h"

GRAPHSTYLE_EXPORT_BEGIN
namespace graphstyle {

enum class ErrorCode {
  invalid_argument = 1,  // an option or image the call cannot use (OptionError names the field)
  file = 2,              // a file missing, unreadable, malformed or unwritable; the message names it
  out_of_memory = 3,
  internal = 4,          // a bug in graphstyle: please report the message
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

// A field of an options struct is out of range, or the file it names cannot be used (code file).
// what() starts with the field's name ("k 50 must be in 1..21 (...)"), so a front end can put its
// own name for the field in front.
class OptionError : public Error {
 public:
  OptionError(std::string field, const std::string& message, ErrorCode code = ErrorCode::invalid_argument)
      : Error(code, message), field_(std::move(field)) {}
  const std::string& field() const noexcept { return field_; }

 private:
  std::string field_;
};

}  // namespace graphstyle
GRAPHSTYLE_EXPORT_END
