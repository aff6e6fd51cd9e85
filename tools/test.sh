#!/usr/bin/env bash
# Builds graphstyle (Release) and runs every test: the doctest unit tests and `graphstyle verify`
# against the PyTorch golden files in ${GRAPHSTYLE_SHARED:-../shared}.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${GRAPHSTYLE_SHARED:-$(cd .. && pwd)/shared}"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DGRAPHSTYLE_SHARED="$SHARED" >/dev/null
cmake --build build -j"$(nproc)"
cd build && ctest --output-on-failure
