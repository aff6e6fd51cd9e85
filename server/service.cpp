#include "server/service.h"

#include <httplib.h>

#include <chrono>
#include <cmath>
#include <future>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/form.h"
#include "server/metrics.h"
#include "server/page.h"
#include "server/stylize_job.h"
#include "server/work_queue.h"

namespace gs::server {

using Clock = std::chrono::steady_clock;

struct Service::Impl {
  graphstyle::Model model;
  ServeOptions options;
  std::vector<graphstyle::Context> contexts;  // one per worker
  StyleCache cache;
  Metrics metrics;
  WorkQueue queue;
  httplib::Server http;

  Impl(graphstyle::Model m, ServeOptions o)
      : model(std::move(m)), options(std::move(o)), contexts(static_cast<size_t>(options.workers)),
        cache(options.cache_bytes), queue(options.workers, options.queue) {}

  Gauges gauges() const {
    return Gauges{queue.waiting(), options.queue,      queue.busy(),  queue.workers(),
                  cache.entries(), cache.used_bytes(), cache.hits(), cache.misses()};
  }

  // A guess at when a slot frees: the mean time of a job times the jobs ahead per worker.
  int retry_after(const std::string& route) const {
    const double mean = metrics.mean_seconds(route);
    const double wait = mean * (1.0 + double(queue.waiting()) / options.workers);
    return std::max(1, static_cast<int>(std::ceil(wait)));
  }

  static void error(httplib::Response& res, int status, const std::string& field, const std::string& message) {
    nlohmann::json j = {{"error", message}};
    if (!field.empty()) j["field"] = field;
    res.status = status;
    res.set_content(j.dump() + "\n", "application/json");
  }

  void stylize_route(const httplib::Request& req, httplib::Response& res, bool graph) {
    const Clock::time_point arrival = Clock::now();
    const std::string route = graph ? "/v1/graph" : "/v1/stylize";
    try {
      if (!req.is_multipart_form_data())
        throw RequestError(415, "", "expected a multipart/form-data body with the fields content and style");
      std::vector<Part> parts;
      for (const auto& [name, f] : req.files) parts.push_back(Part{name, f.filename, f.content_type, f.content});
      graphstyle::StylizeOptions defaults = model.default_options();
      defaults.precision = options.precision;  // the server's, for every request (one layout per worker context)
      auto request = std::make_shared<StylizeRequest>(parse_stylize_form(parts, defaults, graph));
      JobLimits limits{options.max_pixels, options.max_side,
                       arrival + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.timeout_seconds))};
      auto answer = std::make_shared<std::promise<Answer>>();
      std::future<Answer> result = answer->get_future();
      const bool queued = queue.submit([this, request, answer, limits, graph](int worker) {
        try {
          answer->set_value(run_stylize_job(model, contexts[static_cast<size_t>(worker)], *request, cache, limits,
                                            graph, options.threads));
        } catch (...) {
          answer->set_exception(std::current_exception());
        }
      });
      if (!queued) {
        res.set_header("Retry-After", std::to_string(retry_after(route)));
        throw RequestError(503, "", "the server is busy: " + std::to_string(options.queue) +
                                        " requests are waiting already; retry after the Retry-After seconds");
      }
      if (result.wait_until(limits.deadline + std::chrono::seconds(1)) != std::future_status::ready) {
        res.set_header("Retry-After", std::to_string(retry_after(route)));
        throw RequestError(503, "", "the request took longer than the server's time limit; retry later");
      }
      Answer a = result.get();
      res.status = a.status;
      res.set_content(std::move(a.body), a.content_type.c_str());
    } catch (const RequestError& e) {
      if (e.status() == 503 && !res.has_header("Retry-After")) res.set_header("Retry-After", std::to_string(retry_after(route)));
      error(res, e.status(), e.field(), e.what());
    } catch (const graphstyle::OptionError& e) {
      error(res, 400, e.field(), e.what());
    } catch (const graphstyle::Error& e) {
      error(res, e.code() == graphstyle::ErrorCode::out_of_memory ? 503 : 500, "", e.what());
    } catch (const std::exception& e) {
      error(res, 500, "", std::string("internal error: ") + e.what());
    }
    metrics.record(route, res.status, std::chrono::duration<double>(Clock::now() - arrival).count());
  }

  void routes() {
    http.Post("/v1/stylize", [this](const httplib::Request& req, httplib::Response& res) { stylize_route(req, res, false); });
    http.Post("/v1/graph", [this](const httplib::Request& req, httplib::Response& res) { stylize_route(req, res, true); });
    http.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(nlohmann::json{{"status", "ok"}, {"version", graphstyle::version()}}.dump() + "\n", "application/json");
      metrics.record("/healthz", 200, 0);
    });
    http.Get("/v1/options", [this](const httplib::Request&, httplib::Response& res) {
      const graphstyle::StylizeOptions o = model.default_options();
      const nlohmann::json j = {{"alpha", o.alpha}, {"mix", o.mix},       {"k", o.k},
                                {"kc", o.kc},       {"patch", o.patch},   {"stroke", o.stroke},
                                {"size", "512"},    {"recommended", model.info().recommended}};
      res.set_content(j.dump() + "\n", "application/json");
    });
    http.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(metrics.prometheus(gauges()), "text/plain; version=0.0.4");
    });
    http.Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_content(kIndexHtml, "text/html; charset=utf-8"); });
    // What httplib refuses itself (an oversized body: 413, an unknown path: 404) gets the JSON error too.
    http.set_error_handler(httplib::Server::Handler([this](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;  // a route's own answer
      const bool known = req.path == "/v1/stylize" || req.path == "/v1/graph";
      metrics.record(known ? req.path : "other", res.status, 0);
      const std::string message =
          res.status == 413   ? "the request body is larger than the server's limit"
          : res.status == 404 ? "no such route: " + req.method + " " + req.path
          : res.status == 400 ? "the request is malformed or incomplete (a client that stops sending is cut off after the server's read timeout)"
                              : "HTTP status " + std::to_string(res.status);
      error(res, res.status, "", message);
    }));
    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr e) {
      std::string what = "internal error";
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        what += std::string(": ") + x.what();
      } catch (...) {
      }
      error(res, 500, "", what);
    });
  }
};

Service::Service(graphstyle::Model model, ServeOptions options) {
  if (options.workers < 1) throw std::invalid_argument("workers " + std::to_string(options.workers) + " must be >= 1");
  impl_ = std::make_unique<Impl>(std::move(model), std::move(options));
  Impl& s = *impl_;
  // Connections: enough threads for every request a worker runs or the queue holds, plus a few
  // for /healthz and /metrics and for refusing the rest with 503.
  const size_t http_threads = static_cast<size_t>(s.options.workers) + s.options.queue + 8;
  s.http.new_task_queue = [http_threads] { return new httplib::ThreadPool(http_threads); };
  s.http.set_payload_max_length(s.options.max_body);
  s.http.set_read_timeout(s.options.read_timeout_seconds, 0);
  s.http.set_write_timeout(s.options.read_timeout_seconds, 0);
  s.routes();
}

Service::~Service() {
  if (impl_) impl_->queue.stop();
}

int Service::bind() {
  Impl& s = *impl_;
  const int port = s.options.port == 0 ? s.http.bind_to_any_port(s.options.host) : s.http.bind_to_port(s.options.host, s.options.port) ? s.options.port : -1;
  if (port <= 0)
    throw std::runtime_error("cannot listen on " + s.options.host + ":" + std::to_string(s.options.port) +
                             " (in use, or not an address of this machine)");
  return port;
}

void Service::run() {
  impl_->http.listen_after_bind();
  impl_->queue.stop();  // the connections are done; so is every job they queued
}

void Service::stop() { impl_->http.stop(); }

}  // namespace gs::server
