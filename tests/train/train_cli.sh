#!/usr/bin/env bash
# graphstyle train at the command line: errors name the option and exit non-zero; with the released
# weights in the shared folder, a short real run is stopped by SIGINT, checkpoints, and resumes.
# usage: train_cli.sh GRAPHSTYLE_BINARY SHARED_DIR
set -uo pipefail
bin="$1"
shared="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failures=0

# expect_error "what the message must contain" args...: exit code non-zero and the message on stderr.
expect_error() {
  local want="$1"
  shift
  local err
  err="$("$bin" train "$@" 2>&1 >/dev/null)"
  local code=$?
  if [[ $code -eq 0 || "$err" != *"$want"* ]]; then
    echo "FAIL: graphstyle train $* -> exit $code, stderr: $err (expected: $want)"
    failures=$((failures + 1))
  else
    echo "ok: $want"
  fi
}

mkdir -p "$tmp/empty" "$tmp/images"
printf 'not an image' >"$tmp/images/a.jpg"
expect_error "unknown option --bogus" --content "$tmp/images" --style "$tmp/images" --out "$tmp/o" --bogus 1
expect_error "option --batch 0: expected a whole number" --content "$tmp/images" --style "$tmp/images" --out "$tmp/o" --batch 0
expect_error "--content $tmp/missing: no such file or folder" --content "$tmp/missing" --style "$tmp/images" --out "$tmp/o" --vgg x.pth
expect_error "--style $tmp/empty: no images" --content "$tmp/images" --style "$tmp/empty" --out "$tmp/o" --vgg x.pth
expect_error "option --content DIR is required" --style "$tmp/images" --out "$tmp/o" --vgg x.pth
expect_error "exactly one of --vgg VGG.pth and --model MODEL.h5" --content "$tmp/images" --style "$tmp/images" --out "$tmp/o"
expect_error "--vgg $tmp/nope.pth" --content "$tmp/images" --style "$tmp/images" --out "$tmp/o" --vgg "$tmp/nope.pth"
expect_error "--patch 4: must be odd" --content "$tmp/images" --style "$tmp/images" --out "$tmp/o" --vgg x.pth --patch 4
expect_error "option --resume: $tmp/nothing.h5" --resume "$tmp/nothing.h5"
expect_error "option --resize-min 100 must lie between --crop 128 and --resize 256" --content "$tmp/images" \
  --style "$tmp/images" --out "$tmp/o" --vgg x.pth --crop 128 --resize 256 --resize-min 100
expect_error "option --alpha 1.5: expected a number in [0, 1]" --content "$tmp/images" --style "$tmp/images" \
  --out "$tmp/o" --vgg x.pth --alpha 1.5
expect_error "option --flip yes: expected on | off" --content "$tmp/images" --style "$tmp/images" --out "$tmp/o" \
  --vgg x.pth --flip yes

vgg="$shared/weights/vgg_normalised.pth"
if [[ -f "$vgg" && -d "$shared/images/content" ]]; then
  expect_error "--content: none of the 1 images could be read" --content "$tmp/images" --style "$shared/images/style" \
    --out "$tmp/o" --vgg "$vgg" --crop 64 --resize 64 --batch 1 --steps 1
  out="$tmp/run"
  "$bin" train --content "$shared/images/content" --style "$shared/images/style" --out "$out" --vgg "$vgg" \
    --batch 1 --resize 64 --crop 64 --steps 1000 --save-every 0 --preview-every 0 >"$tmp/stdout" 2>&1 &
  pid=$!
  # Wait for the first logged step, then interrupt.
  for _ in $(seq 100); do
    [[ -f "$out/log.csv" && $(wc -l <"$out/log.csv") -ge 2 ]] && break
    sleep 0.1
  done
  kill -INT "$pid"
  wait "$pid"
  code=$?
  if [[ $code -ne 130 || ! -f "$out/checkpoint.h5" ]] || ! grep -q "stopped by signal 2" "$tmp/stdout"; then
    echo "FAIL: SIGINT: exit $code (expected 130), output: $(cat "$tmp/stdout")"
    failures=$((failures + 1))
  else
    echo "ok: SIGINT saves a checkpoint and exits with 130"
    expect_error "option --vgg cannot be used with --resume" --resume "$out/checkpoint.h5" --vgg "$vgg"
    done_steps=$(($(wc -l <"$out/log.csv") - 1))
    if "$bin" train --resume "$out/checkpoint.h5" --steps $((done_steps + 1)) >"$tmp/stdout" 2>&1 &&
      [[ -f "$out/model.h5" && $(wc -l <"$out/log.csv") -eq $((done_steps + 2)) ]]; then
      echo "ok: resumed for one more step, wrote model.h5"
    else
      echo "FAIL: resume: $(cat "$tmp/stdout")"
      failures=$((failures + 1))
    fi
  fi
else
  echo "SKIPPED: the SIGINT run needs $vgg and $shared/images"
fi

[[ $failures -eq 0 ]]
