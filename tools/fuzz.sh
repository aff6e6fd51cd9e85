#!/usr/bin/env bash
# Fuzzes graphstyle's readers of untrusted files with libFuzzer (clang), under AddressSanitizer and
# UndefinedBehaviorSanitizer:   tools/fuzz.sh [TARGET|all] [SECONDS]   (default: all, 60 s each)
# Targets: fuzz_pth (.pth: zip + legacy pickle), fuzz_pickle, fuzz_model (model files and
# checkpoints, HDF5), fuzz_image (PNG, JPEG, BMP), fuzz_request (an HTTP request to graphstyle serve:
# cpp-httplib's parsing and the stylize form's checks). One target at a time, on one core.
#
# Builds build-fuzz/ (-DGRAPHSTYLE_FUZZ=ON: the readers only), makes the seed corpora
# (make_test_inputs seeds: small valid files of every kind, plus the bad-input table's files), and
# runs each target from its seeds and the regression corpus with a fixed -seed, so that a run is
# repeatable. A finding leaves crash-*/leak-*/timeout-*/oom-* in build-fuzz/findings/TARGET/ and
# makes the script fail: fix the reader, then copy the file to tests/fuzz/regressions/TARGET/
# (replayed by ctest from then on).
# Environment: FUZZ_BUILD (the build folder, build-fuzz), FUZZ_JOBS (compile jobs, 2), FUZZ_SEED (1),
# FUZZ_NICE (niceness, 0).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-all}"
seconds="${2:-60}"
targets=(fuzz_pth fuzz_pickle fuzz_model fuzz_image fuzz_request)
[ "$target" = all ] || targets=("$target")
for t in "${targets[@]}"; do
  case "$t" in fuzz_pth|fuzz_pickle|fuzz_model|fuzz_image|fuzz_request) ;; *) echo "fuzz.sh: unknown target '$t' (fuzz_pth, fuzz_pickle, fuzz_model, fuzz_image, fuzz_request, all)" >&2; exit 2 ;; esac
done
if ! command -v clang++ >/dev/null; then echo "fuzz.sh: clang++ is missing (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; fi

nice_cmd=(nice -n "${FUZZ_NICE:-0}")
B="${FUZZ_BUILD:-build-fuzz}"
CC=clang CXX=clang++ cmake -S . -B "$B" -DGRAPHSTYLE_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
"${nice_cmd[@]}" cmake --build "$B" -j"${FUZZ_JOBS:-2}" --target "${targets[@]}" make_test_inputs >/dev/null

# A corpus folder of this run's own, so that runs side by side (CI, a long session) never meet.
mkdir -p "$B/corpora"
corpus=$(mktemp -d "$B/corpora/run.XXXXXX")
trap 'rm -rf "$corpus"' EXIT
"$B/make_test_inputs" seeds "$corpus" >/dev/null

status=0
for t in "${targets[@]}"; do
  findings="$B/findings/$t/$(basename "$corpus")"
  mkdir -p "$findings" "$corpus/$t.work"
  echo "fuzz.sh: $t for ${seconds}s"
  # -rss_limit_mb: a reader must refuse a huge claim before allocating for it, whatever the file.
  # -timeout=25: every input here takes milliseconds; 25 s (not less) because on a loaded machine
  # ASan once stalled 15 s returning memory to the OS (that release is off now, see ASAN_OPTIONS).
  # The model target opens HDF5 files, whose library keeps caches: leaks there are libhdf5's, so
  # leak detection is off for it.
  # libhdf5 (not ours, not instrumented) also mallocs sizes read from the file, unchecked: 0x850000000048
  # bytes for a 64 kB file in its metadata cache. In a normal build malloc returns NULL and HDF5
  # reports an error (a clean one-line error from graphstyle); under ASan that is fatal unless
  # allocator_may_return_null=1. So for the model target: NULL returns, no per-malloc limit, and the
  # RSS limit still catches memory really used. Our own size checks there are the bad-input table's.
  # libhdf5's own over-reads are suppressed (tests/fuzz/libhdf5.supp says why); its crashes are not.
  leak=1 null=0 malloc_limit=1024 supp=""
  if [ "$t" = fuzz_model ]; then leak=0 null=1 malloc_limit=1000000 supp=":suppressions=$PWD/tests/fuzz/libhdf5.supp"; fi
  # -max_len: small inputs run thousands of times faster (a 64 kB pickle takes ~60 ms under ASan);
  # the classes that need size (200k-deep nesting, 120k keys) are in the regression corpus and tests.
  case "$t" in fuzz_pickle) max_len=4096 ;; fuzz_pth) max_len=8192 ;; fuzz_image|fuzz_request) max_len=16384 ;; *) max_len=70000 ;; esac
  if ! ASAN_OPTIONS="detect_leaks=$leak:allocator_may_return_null=$null:allocator_release_to_os_interval_ms=-1$supp" "${nice_cmd[@]}" "$B/$t" \
      -max_total_time="$seconds" -seed="${FUZZ_SEED:-1}" -rss_limit_mb=2048 -malloc_limit_mb=$malloc_limit -timeout=25 \
      -max_len=$max_len -print_final_stats=1 -artifact_prefix="$findings/" \
      "$corpus/$t.work" "$corpus/$t" "tests/fuzz/regressions/$t" >"$findings/log.txt" 2>&1; then
    echo "fuzz.sh: $t FOUND A PROBLEM: see $findings/log.txt and $(ls "$findings" | grep -v log.txt | head -3 | tr '\n' ' ')" >&2
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$findings/log.txt" | sed "s/^/  $t /" || true
done
exit $status
