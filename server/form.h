// POST /v1/stylize and /v1/graph: the multipart form's parts checked and turned into a request.
// Independent of the HTTP library (the routes hand over the parts), so it is tested on its own.
// Fields are the stylize command's options with `_` for `-`, with the same defaults and ranges.
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

#include <graphstyle/graphstyle.hpp>

namespace gs::server {

struct Part {
  std::string name, filename, content_type, content;
};

// A request the server refuses: an HTTP status (4xx), the field at fault ("" for the request as a
// whole) and a one-line message.
class RequestError : public std::runtime_error {
 public:
  RequestError(int status, std::string field, const std::string& message)
      : std::runtime_error(message), status_(status), field_(std::move(field)) {}
  int status() const { return status_; }
  const std::string& field() const { return field_; }

 private:
  int status_;
  std::string field_;
};

struct StylizeRequest {
  std::string content, style;  // the uploaded files' bytes
  graphstyle::StylizeOptions options;
  std::string size = "512", style_size;  // style_size: as size unless given
  std::string format = "png";            // png | jpg (the image answer)
  int quality = 95;                      // JPEG quality
};

// `defaults`: the model's (Model::default_options()). For /v1/graph (`graph`), method must be gnn.
StylizeRequest parse_stylize_form(const std::vector<Part>& parts, const graphstyle::StylizeOptions& defaults,
                                  bool graph);

}  // namespace gs::server
