// The test binary runs under the allocator settings of the graphstyle executable (tensor/allocator.h),
// so every test also checks that they change no result.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "tensor/allocator.h"

int main(int argc, char** argv) {
  gs::configure_allocator();
  return doctest::Context(argc, argv).run();
}
