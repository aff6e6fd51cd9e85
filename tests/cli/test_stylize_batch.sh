#!/usr/bin/env bash
# graphstyle stylize with many images: folders and repeated --content/--style, --out-dir names, a bad
# file skipped with a summary and exit 1; blends, masks and the colour options end to end.
# usage: test_stylize_batch.sh GRAPHSTYLE MAKE_TEST_INPUTS
source "$(dirname "$0")/common.sh" "$@"

mkdir -p "$W/c/sub" "$W/s"
cp "$I/good_content.png" "$W/c/a.png"
cp "$I/good_content.png" "$W/c/sub/b.png"
printf 'not an image\n' >"$W/c/bad.jpg"
cp "$I/good_style.jpg" "$W/s/one.jpg"
cp "$I/good_content.png" "$W/s/two.png"
ST=("$GS" stylize --model "$I/good_model.h5" --size 64 --style-size 64)

# every content x every style; the bad file is skipped (two jobs), the rest written, exit 1
"${ST[@]}" --content "$W/c" --style "$W/s/one.jpg" --style "$W/s/two.png" --out-dir "$W/out" >"$W/stdout" 2>"$W/stderr"
code=$?
[ $code -eq 1 ] || fail "a batch with a bad file exits $code, expected 1"
for f in a_one a_two b_one b_two; do [ -s "$W/out/$f.png" ] || fail "batch: $W/out/$f.png missing"; done
[ "$(ls "$W/out" | wc -l)" -eq 4 ] || fail "batch: $(ls "$W/out" | wc -l) files in --out-dir, expected 4"
grep -q "4 of 6 images written to $W/out/" "$W/stdout" || fail "batch summary: $(cat "$W/stdout")"
[ "$(grep -c "skipped .*bad_.*$W/c/bad.jpg: not a PNG, JPEG or BMP image" "$W/stderr")" -eq 2 ] ||
  fail "batch: the bad file is not reported twice: $(cat "$W/stderr")"

# all good: exit 0, jpg outputs
"${ST[@]}" --content "$W/c/a.png" --content "$W/c/sub" --style "$W/s/one.jpg" --out-dir "$W/jpg" --ext jpg >/dev/null 2>&1 ||
  fail "a good batch failed"
[ -s "$W/jpg/a_one.jpg" ] && [ -s "$W/jpg/b_one.jpg" ] || fail "--ext jpg: outputs missing"

# blend and mask: one output per content
"${ST[@]}" --content "$W/c/a.png" --content "$W/c/sub/b.png" --style "$W/s/one.jpg" --style "$W/s/two.png" \
  --style-weights 0.7,0.3 --out-dir "$W/blend" >/dev/null 2>"$W/stderr" || fail "blend: $(cat "$W/stderr")"
[ -s "$W/blend/a_one+two.png" ] && [ -s "$W/blend/b_one+two.png" ] || fail "blend outputs missing: $(ls "$W/blend")"
# a 16x16 BMP mask: left half black (the first --style), right half white (the second)
python3 - "$W/mask.bmp" <<'PY'
import struct, sys
w = h = 16
rows = b"".join(bytes([0, 0, 0] * (w // 2) + [255, 255, 255] * (w // 2)) for _ in range(h))
head = b"BM" + struct.pack("<IHHI", 54 + len(rows), 0, 0, 54) + struct.pack("<IiiHHIIiiII", 40, w, h, 1, 24, 0, len(rows), 0, 0, 0, 0)
open(sys.argv[1], "wb").write(head + rows)
PY
"${ST[@]}" --content "$W/c/a.png" --content "$W/c/sub/b.png" --style "$W/s/one.jpg" --style none --mask "$W/mask.bmp" \
  --out-dir "$W/mask" >/dev/null 2>"$W/stderr" || fail "mask: $(cat "$W/stderr")"
[ -s "$W/mask/a_mask.png" ] && [ -s "$W/mask/b_mask.png" ] || fail "mask outputs missing: $(ls "$W/mask")"
for method in gnn adain; do
  for colour in "" --preserve-color --luminance-only; do
    args=(--content "$W/c/a.png" --style "$W/s/one.jpg" --style "$W/s/two.png" --style-weights 1,2 --method "$method")
    [ -n "$colour" ] && args+=("$colour")
    "${ST[@]}" "${args[@]}" --out "$W/o.png" >/dev/null 2>"$W/stderr" || fail "$method $colour blend: $(cat "$W/stderr")"
  done
done

# video frames: two identical frames keep every style edge, and the still scene is smoothed everywhere
"${ST[@]}" --content "$W/c/a.png" --content "$W/c/sub/b.png" --style "$W/s/one.jpg" --temporal on --out-dir "$W/frames" \
  >"$W/stdout" 2>"$W/stderr" || fail "temporal: $(cat "$W/stderr")"
grep -q "0.0% of the style edges changed, 100.0% of the pixels were smoothed" "$W/stdout" || fail "temporal: $(cat "$W/stdout")"

echo "$failures failures"
[ "$failures" -eq 0 ]
