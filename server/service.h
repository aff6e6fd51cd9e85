// graphstyle serve: the HTTP service over one loaded model (routes in service.cpp).
//   POST /v1/stylize  multipart form (server/form.h) -> the image
//   POST /v1/graph    the same -> the graph as JSON (server/graph_json.h)
//   GET  /healthz, GET /metrics (Prometheus text), GET / (the explorer page),
//   GET  /v1/options (the model's default options, for the page's controls)
// Requests wait in a bounded queue for N workers (server/work_queue.h); a full queue answers 503
// with Retry-After. Errors are 4xx with a one-line JSON body {"error": ..., "field": ...}.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <graphstyle/graphstyle.hpp>

namespace gs::server {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (bind() says which)
  int workers = 2;
  size_t queue = 8;                      // requests waiting for a worker
  size_t max_body = 32u << 20;           // bytes of a request
  int64_t max_pixels = 4'194'304;        // per image, decoded and after sizing
  int64_t max_side = 8192;
  double timeout_seconds = 120;          // from arrival to answer
  int read_timeout_seconds = 10;         // a client that stops sending
  size_t cache_bytes = 256u << 20;       // the style-feature cache
  int threads = 0;                       // per worker, 0 = OpenMP's default
  graphstyle::Precision precision = graphstyle::Precision::fp32;  // of every request's convolutions
};

class Service {
 public:
  Service(graphstyle::Model model, ServeOptions options);
  ~Service();
  // Binds the listening socket; returns the port. Throws std::runtime_error when it cannot.
  int bind();
  // Serves until stop(); then finishes every request in flight and returns.
  void run();
  // Stops accepting connections (safe from another thread).
  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace gs::server
