#!/usr/bin/env bash
# Many images in one `graphstyle stylize` versus one process per image: N contents x 2 styles at 512.
# usage: tools/bench_batch.sh MODEL.h5 [N (50)] [BUILD_DIR] [SHARED_DIR]. A benchmark, never a test.
# The N contents are the shared photographs repeated under distinct names (nothing is cached per content).
set -euo pipefail
MODEL="$1"
N="${2:-50}"
B="${3:-build}"
SH="${4:-../shared}"
GS="$B/graphstyle"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/c" "$T/one" "$T/many"
photos=("$SH"/images/content/*.jpg)
for i in $(seq 0 $((N - 1))); do cp "${photos[$((i % ${#photos[@]}))]}" "$T/c/c$(printf %03d "$i").jpg"; done
A="$SH/images/style/starry_night.jpg"
Z="$SH/images/style/the_scream.jpg"
t0=$(date +%s.%N)
"$GS" stylize --model "$MODEL" --content "$T/c" --style "$A" --style "$Z" --size 512 --out-dir "$T/one" >/dev/null
t1=$(date +%s.%N)
for c in "$T"/c/*.jpg; do
  for s in "$A" "$Z"; do
    "$GS" stylize --model "$MODEL" --content "$c" --style "$s" --size 512 \
      --out "$T/many/$(basename "$c" .jpg)_$(basename "$s" .jpg).png" >/dev/null
  done
done
t2=$(date +%s.%N)
n=$((2 * N))
awk -v n="$n" -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
  one = b - a; many = c - b
  printf "%d images at 512: one command %.1f s (%.3f images/s), %d commands %.1f s (%.3f images/s), ratio %.2fx\n",
         n, one, n / one, n, many, n / many, many / one }'
cmp -s "$T/one/c000_starry_night.png" "$T/many/c000_starry_night.png" && echo "outputs identical (c000_starry_night)" ||
  echo "outputs differ (c000_starry_night)"
