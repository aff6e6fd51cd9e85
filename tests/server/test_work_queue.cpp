// The bounded work queue: refuses beyond its capacity, runs everything it accepted, stops cleanly.
#include "server/work_queue.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>

TEST_CASE("work queue: capacity, every accepted job run once, worker indices, drain on stop") {
  std::promise<void> gate;
  std::shared_future<void> open = gate.get_future().share();
  std::atomic<int> ran{0};
  std::mutex m;
  std::multiset<int> workers_seen;
  {
    gs::server::WorkQueue q(2, 3);
    CHECK(q.workers() == 2);
    const auto job = [&](int worker) {
      open.wait();
      std::lock_guard<std::mutex> lock(m);
      workers_seen.insert(worker);
      ++ran;
    };
    // Two jobs occupy both workers, three wait; the sixth is refused.
    int accepted = 0;
    for (int i = 0; i < 2; ++i) accepted += q.submit(job);
    for (int spin = 0; spin < 1000 && q.busy() < 2; ++spin) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    REQUIRE(q.busy() == 2);
    for (int i = 0; i < 3; ++i) accepted += q.submit(job);
    CHECK(accepted == 5);
    CHECK(q.waiting() == 3u);
    CHECK(!q.submit(job));
    gate.set_value();
    q.stop();  // runs what was queued
    CHECK(!q.submit(job));
  }
  CHECK(ran == 5);
  CHECK(workers_seen.count(0) + workers_seen.count(1) == 5u);
}

TEST_CASE("work queue: a job that throws does not stop its worker") {
  gs::server::WorkQueue q(1, 4);
  std::atomic<int> ran{0};
  q.submit([](int) { throw std::runtime_error("job failed"); });
  q.submit([&](int) { ++ran; });
  q.stop();
  CHECK(ran == 1);
  CHECK_THROWS_AS(gs::server::WorkQueue(0, 1), std::invalid_argument);
}
