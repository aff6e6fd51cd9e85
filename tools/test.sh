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

cd build && ctest --output-on-failure
