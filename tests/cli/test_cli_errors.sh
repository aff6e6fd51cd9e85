#!/usr/bin/env bash
# Bad input to the graphstyle command line: every case must exit non-zero (not by a signal) with one
# line on stderr that names the file or option at fault.
#   usage: test_cli_errors.sh path/to/graphstyle path/to/shared
set -u
GS=$1
SHARED=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0 passed=0

# expect_error "text the message must contain" command...
expect_error() {
  local want=$1; shift
  "$@" >"$TMP/out" 2>"$TMP/err"
  local rc=$? lines
  lines=$(wc -l <"$TMP/err")
  if [ $rc -eq 0 ] || [ $rc -ge 128 ] || [ "$lines" -ne 1 ] || ! grep -qF -- "$want" "$TMP/err"; then
    echo "FAIL: $* -> exit $rc, stderr ($lines lines): $(head -c 300 "$TMP/err")  [wanted: $want]"
    failures=$((failures + 1))
  else
    passed=$((passed + 1))
  fi
}

expect_error "unknown command 'frobnicate'" "$GS" frobnicate
expect_error "unknown option --colour" "$GS-dev" verify --colour
expect_error "unknown command 'verify'" "$GS" verify
expect_error "no such file" "$GS" stylize --model "$TMP/none.h5" --content x --style y --out "$TMP/o.png"
# graphstyle serve: its options and model are checked before it listens.
expect_error "no such file" "$GS" serve --model "$TMP/none.h5" --port 0
expect_error "option --workers 0" "$GS" serve --model "$TMP/none.h5" --workers 0
expect_error "option --port 70000" "$GS" serve --model "$TMP/none.h5" --port 70000
expect_error "unknown option --colour" "$GS" serve --model "$TMP/none.h5" --colour red

W=$SHARED/weights
if [ ! -f "$W/vgg_normalised.pth" ] || [ ! -d "$SHARED/images" ]; then
  echo "SKIPPED: $W or $SHARED/images not found: the stylize and convert error cases need the real weights"
else
  M=$TMP/model.h5
  "$GS" convert --vgg "$W/vgg_normalised.pth" --decoder "$W/decoder.pth" -o "$M" >/dev/null || { echo "FAIL: convert"; exit 1; }
  C=$SHARED/images/content/chicago.jpg
  S=$SHARED/images/style/starry_night.jpg
  run() { "$GS" stylize --model "$M" --out "$TMP/out.png" "$@"; }
  # wrong weights
  expect_error "looks like an AdaIN decoder" "$GS" convert --vgg "$W/decoder.pth" --decoder "$W/decoder.pth" -o "$TMP/m2.h5"
  expect_error "not a graphstyle model file" "$GS" stylize --model "$W/decoder.pth" --content "$C" --style "$S" --out "$TMP/o.png"
  # images: missing, a folder with --out, not an image, truncated, too large
  expect_error "$TMP/missing.jpg: no such file" run --content "$TMP/missing.jpg" --style "$S"
  expect_error "this run writes 38 images: use --out-dir DIR" run --content "$SHARED/images" --style "$S"  # a folder of contents
  echo "hello" >"$TMP/text.png"
  expect_error "$TMP/text.png: not a PNG, JPEG or BMP image" run --content "$TMP/text.png" --style "$S"
  head -c 40000 "$C" >"$TMP/cut.jpg"
  expect_error "$TMP/cut.jpg: truncated" run --content "$TMP/cut.jpg" --style "$S"
  "$GS" stylize --model "$M" --content "$C" --style "$S" --size 64 --method adain --out "$TMP/small.png" >/dev/null 2>&1
  head -c 2000 "$TMP/small.png" >"$TMP/cut.png"
  expect_error "$TMP/cut.png" run --content "$TMP/cut.png" --style "$S"
  expect_error "larger than the limit" run --content "$C" --style "$S" --max-side 500
  # output path
  expect_error "/nonexistent-dir/out.png" "$GS" stylize --model "$M" --content "$C" --style "$S" --size 64 --method adain --out /nonexistent-dir/out.png
  expect_error "/proc/out.png" "$GS" stylize --model "$M" --content "$C" --style "$S" --size 64 --method adain --out /proc/out.png
  expect_error "unknown image format '.gif'" "$GS" stylize --model "$M" --content "$C" --style "$S" --size 64 --method adain --out "$TMP/o.gif"
  # impossible GNN settings
  expect_error "--patch 4: must be odd" run --content "$C" --style "$S" --size 128 --patch 4
  expect_error "--k 65: expected a whole number in 1..64" run --content "$C" --style "$S" --size 128 --k 65
  expect_error "--k 50 must be in 1..21" run --content "$C" --style "$S" --size 128 --style-size 56 --k 50
  expect_error "image too small" run --content "$C" --style "$S" --size 32
  expect_error "--alpha 1.5" run --content "$C" --style "$S" --alpha 1.5
  expect_error "--deformable maybe: expected on | off" run --content "$C" --style "$S" --deformable maybe
  # evaluate: inputs, methods, models, triples
  ev() { "$GS" evaluate --model "$M" --size 64 "$@"; }
  mkdir -p "$TMP/empty" "$TMP/one"
  cp "$C" "$TMP/one/c.jpg"
  expect_error "--content $TMP/missing: no such file or folder" ev --content "$TMP/missing" --style "$S"
  expect_error "--style $TMP/empty: no images" ev --content "$C" --style "$TMP/empty"
  expect_error "$TMP/text.png: not a PNG, JPEG or BMP image" ev --content "$TMP/text.png" --style "$S"
  expect_error "--method vangogh: expected gnn | adain" ev --content "$C" --style "$S" --method vangogh
  expect_error "--model $TMP/none.h5: no such file" "$GS" evaluate --model "$TMP/none.h5" --content "$C" --style "$S"
  expect_error "option --model is required" "$GS" evaluate --content "$C" --style "$S"
  expect_error "give --content DIR and --style DIR, or --triples" ev --content "$C"
  expect_error "two models are labelled 'a'" ev --model "a=$M" --model "a=$M" --content "$C" --style "$S"
  printf 'content,style,output\n%s,%s,%s\n%s,%s\n' "$C" "$S" "$C" "$C" "$S" >"$TMP/bad.csv"
  expect_error "$TMP/bad.csv line 3: expected content,style,output[,method], got 2 fields" ev --triples "$TMP/bad.csv"
  printf '%s,%s,%s\n' "$C" "$S" "$TMP/missing.png" >"$TMP/missing.csv"
  expect_error "$TMP/missing.csv line 1: $TMP/missing.png: no such file" ev --triples "$TMP/missing.csv"
  expect_error "$TMP/none.csv: no such file" ev --triples "$TMP/none.csv"
  expect_error "with --triples the images are made already" ev --triples "$TMP/missing.csv" --k 3
  expect_error "--out-dir $TMP/nodir: no such folder" ev --content "$C" --style "$S" --out-dir "$TMP/nodir"
  expect_error "$TMP/nofont.ttf: cannot open the font file" ev --content "$C" --style "$S" --panel "$TMP/p.png" --font "$TMP/nofont.ttf"
  expect_error "/nonexistent-dir/r.csv" ev --content "$C" --style "$S" --method adain --csv /nonexistent-dir/r.csv
fi
echo "cli errors: $passed passed, $failures failed"
[ $failures -eq 0 ]
