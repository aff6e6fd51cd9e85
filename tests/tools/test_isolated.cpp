#include "tools/isolated.h"

#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <stdexcept>
#include <thread>

using gs::tools::check_in_child;

TEST_CASE("isolated read: success, an error, a crash and a hang each end as they should") {
  CHECK_NOTHROW(check_in_child("good.h5", [] {}));
  CHECK_THROWS_WITH_AS(check_in_child("bad.h5", [] { throw std::runtime_error("bad.h5: attribute 'patch' is 4"); }),
                       "bad.h5: attribute 'patch' is 4", std::runtime_error);
  // What libhdf5 does on some crafted files: the child dies, the parent reports it naming the file.
  CHECK_THROWS_WITH_AS(check_in_child("crash.h5", [] { std::raise(SIGSEGV); }),
                       doctest::Contains("crash.h5: reading the file crashed the reader (signal 11"), std::runtime_error);
  CHECK_THROWS_WITH_AS(check_in_child("hang.h5", [] { std::this_thread::sleep_for(std::chrono::seconds(30)); }, 1),
                       doctest::Contains("hang.h5: reading the file took longer than 1 s"), std::runtime_error);
}
