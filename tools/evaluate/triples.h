// The list of existing images to evaluate: a CSV file with one row per stylized image,
//   content,style,output[,method]
// An optional first line `content,style,output[,method]` is a header; blank lines and lines starting
// with # are skipped; fields may be double-quoted (RFC 4180). Relative paths are taken relative to
// the CSV file's folder. A missing method is "output".
#pragma once
#include <string>
#include <vector>

namespace gs::tools {

struct Triple {
  std::string content, style, output, method;
  int line = 0;  // in the CSV file, for messages
};

// Errors name the file and line.
std::vector<Triple> read_triples(const std::string& path);

// One CSV line -> fields; throws std::invalid_argument on an unterminated quote.
std::vector<std::string> split_csv_line(const std::string& line);

}  // namespace gs::tools
