// graphstyle serve: the model kept loaded behind an HTTP service (server/service.h) and the graph
// explorer page. SIGTERM or SIGINT: stop accepting, finish what is in flight, exit 0.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <graphstyle/graphstyle.hpp>

#include "server/service.h"
#include "tools/args.h"
#include "tools/isolated.h"
#include "tools/stylize_options.h"

namespace gs::tools {

namespace {
const std::string kUsage =
    "usage: graphstyle serve --model MODEL.h5 [options]\n"
    "  --model M.h5          a model file (graphstyle convert) or a training checkpoint\n"
    "  --host H              address to listen on (127.0.0.1; 0.0.0.0 = every interface)\n"
    "  --port P              port (8080; 0 = any free port, printed on start)\n"
    "  --workers N           stylizations at once (2)\n"
    "  --queue N             requests that may wait for a worker; more get 503 + Retry-After (8)\n"
    "  --threads N           threads per worker, 0 = OMP_NUM_THREADS or the cores (0)\n"
    "  --precision fp32|bf16 the convolutions of every request (fp32; bf16: see graphstyle stylize --help)\n"
    "Limits:\n"
    "  --max-body BYTES      request body (33554432)\n"
    "  --max-pixels N        pixels per image, uploaded and after sizing (4194304); --max-side N (8192)\n"
    "  --timeout S           seconds from a request's arrival to its answer, else 503 (120)\n"
    "  --read-timeout S      seconds a client may stall while sending (10)\n"
    "  --cache-mb MB         memory for encoded styles, reused by content hash (256)\n"
    "Routes: POST /v1/stylize, POST /v1/graph, GET /healthz, GET /metrics, GET / (the explorer page)\n";
}  // namespace

int run_serve(const std::vector<std::string>& argv) {
  Args args(argv, kUsage);
  if (args.help()) {
    std::printf("%s", kUsage.c_str());
    return 0;
  }
  const std::string model_path = args.required("--model");
  server::ServeOptions o;
  o.host = args.get("--host", o.host);
  o.port = static_cast<int>(args.get_int("--port", o.port, 0, 65535));
  o.workers = static_cast<int>(args.get_int("--workers", o.workers, 1, 256));
  o.queue = static_cast<size_t>(args.get_int("--queue", static_cast<int64_t>(o.queue), 0, 100000));
  o.threads = static_cast<int>(args.get_int("--threads", o.threads, 0, 1024));
  o.max_body = static_cast<size_t>(args.get_int("--max-body", static_cast<int64_t>(o.max_body), 1024, int64_t{1} << 40));
  o.max_pixels = args.get_int("--max-pixels", o.max_pixels, 64, int64_t{1} << 32);
  o.max_side = args.get_int("--max-side", o.max_side, 8, 1 << 16);
  o.timeout_seconds = args.get_double("--timeout", o.timeout_seconds, 0.001, 86400);
  o.read_timeout_seconds = static_cast<int>(args.get_int("--read-timeout", o.read_timeout_seconds, 1, 3600));
  o.cache_bytes = static_cast<size_t>(args.get_int("--cache-mb", 256, 0, int64_t{1} << 20)) << 20;
  o.precision = parse_precision(args);
  args.finish();
  if (const std::string note = graphstyle::precision_note(o.precision); !note.empty())
    std::fprintf(stderr, "graphstyle serve: %s\n", note.c_str());

  // The model file comes from anyone: a first read in a child turns a crash of libhdf5 into an error.
  check_in_child(model_path, [&] { graphstyle::Model::load(model_path); });
  graphstyle::Model model = graphstyle::Model::load(model_path);

  // SIGTERM and SIGINT go to one thread that stops the server; every other thread blocks them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  server::Service service(std::move(model), o);
  const int port = service.bind();
  std::printf("graphstyle serve: listening on http://%s:%d/ (%d workers, queue %zu)\n", o.host.c_str(), port,
              o.workers, o.queue);
  std::fflush(stdout);
  std::atomic<bool> signalled{false}, finished{false};
  std::thread waiter([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    signalled = true;
    if (finished) return;
    std::printf("graphstyle serve: %s: finishing the requests in flight\n", signal == SIGINT ? "SIGINT" : "SIGTERM");
    std::fflush(stdout);
    // Again until run() returns: a signal that comes before the server loop starts must not be lost.
    while (!finished) {
      service.stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  service.run();
  finished = true;
  if (!signalled) pthread_kill(waiter.native_handle(), SIGTERM);  // run() ended without a signal: wake the waiter
  waiter.join();
  std::printf("graphstyle serve: stopped\n");
  return 0;
}

}  // namespace gs::tools
