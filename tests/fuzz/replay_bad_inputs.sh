#!/usr/bin/env bash
# The sanitizer build's share of the bad-input table: every file make_test_inputs writes (the table's
# hostile files and the valid ones) goes through the reader of its kind under ASan + UBSan.
# usage: replay_bad_inputs.sh BUILD_DIR
set -euo pipefail
B="$1"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
"$B/make_test_inputs" bad "$W" >/dev/null
"$B/fuzz_pth" "$W"/*.pth
ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:suppressions=$(dirname "$0")/libhdf5.supp "$B/fuzz_model" "$W"/*.h5
"$B/fuzz_image" "$W"/*.png "$W"/*.jpg "$W"/*.bmp "$W"/*.gif "$W"/*.pgm "$W"/*.hdr "$W"/*.psd
