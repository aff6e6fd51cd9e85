#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls exactly this): installs the Debian packages when
# any is missing (tools/install_deps.sh), builds (Release), checks that a fresh machine would have every
# package the build uses, and runs every CTest entry (doctest unit tests, `graphstyle-dev verify` against the
# PyTorch golden files in ${GRAPHSTYLE_SHARED:-../shared}, the command-line tests).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${GRAPHSTYLE_SHARED:-$(cd .. && pwd)/shared}"
bash tools/install_deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DGRAPHSTYLE_SHARED="$SHARED" >/dev/null
cmake --build build -j"$(nproc)"

# A green run on a machine with extra packages proves nothing about a fresh one: check-fresh-deps maps
# every system file the build uses to its Debian package and fails when tools/install_deps.sh would
# not bring it to a fresh machine.
CHECK="$SHARED/tools/check-fresh-deps"
if [ -x "$CHECK" ]; then
  "$CHECK" build tools/install_deps.sh
else
  echo "SKIPPED: $CHECK not found (the fresh-machine dependency check)"
fi

(cd build && ctest --output-on-failure)

# The sanitizer job: the file readers of untrusted input built alone with AddressSanitizer +
# UndefinedBehaviorSanitizer (clang), their unit tests, the fuzz regression corpus and the bad-input
# files replayed, then a short run of every libFuzzer target (FUZZ_SECONDS each, default 30) from
# its seeds with a fixed seed. Long runs: tools/fuzz.sh TARGET SECONDS.
if command -v clang++ >/dev/null && [ -e /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a ]; then
  B="${FUZZ_BUILD:-build-fuzz}"
  CC=clang CXX=clang++ cmake -S . -B "$B" -DGRAPHSTYLE_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DGRAPHSTYLE_SHARED="$SHARED" >/dev/null
  cmake --build "$B" -j"$(nproc)"
  (cd "$B" && ctest --output-on-failure)
  FUZZ_BUILD="$B" tools/fuzz.sh all "${FUZZ_SECONDS:-30}"
else
  echo "SKIPPED: the sanitizer job (clang and libclang-rt-14-dev are missing)"
fi
