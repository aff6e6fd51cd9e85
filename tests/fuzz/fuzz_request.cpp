// libFuzzer target: an HTTP request as `graphstyle serve` receives it. cpp-httplib parses the request
// line, headers, body (chunked or not) and multipart form from a stream, as it would from a socket;
// then server/form.h checks the stylize form as the service's route does. The uploads' decoding is
// fuzz_image's target. The limits are the service's defaults, scaled down so each run stays fast.
#include <httplib.h>

#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "server/form.h"

namespace {

// The fuzz input as the bytes a client sent; what the server writes back is dropped.
class InputStream : public httplib::Stream {
 public:
  InputStream(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool is_readable() const override { return true; }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, size_t size) override {
    size = std::min(size, size_ - pos_);
    std::memcpy(ptr, data_ + pos_, size);
    pos_ += size;
    return static_cast<ssize_t>(size);
  }
  ssize_t write(const char*, size_t size) override { return static_cast<ssize_t>(size); }
  void get_remote_ip_and_port(std::string& ip, int& port) const override { ip = "127.0.0.1", port = 1; }
  void get_local_ip_and_port(std::string& ip, int& port) const override { ip = "127.0.0.1", port = 2; }
  socket_t socket() const override { return 0; }

 private:
  const uint8_t* data_;
  size_t size_, pos_ = 0;
};

// process_request is the server's per-request entry (protected: the socket loop calls it).
class RequestParser : public httplib::Server {
 public:
  RequestParser() {
    set_payload_max_length(1 << 20);
    for (const char* route : {"/v1/stylize", "/v1/graph"})
      Post(route, [route](const httplib::Request& req, httplib::Response& res) {
        std::vector<gs::server::Part> parts;
        for (const auto& [name, f] : req.files) parts.push_back({name, f.filename, f.content_type, f.content});
        try {
          gs::server::parse_stylize_form(parts, graphstyle::StylizeOptions{}, std::strcmp(route, "/v1/graph") == 0);
        } catch (const gs::server::RequestError& e) {
          res.status = e.status();
        }
      });
  }
  void parse(httplib::Stream& stream) {
    bool closed = false;
    process_request(stream, true, closed, nullptr);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static RequestParser parser;
  InputStream stream(data, size);
  parser.parse(stream);
  return 0;
}
