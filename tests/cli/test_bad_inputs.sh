#!/usr/bin/env bash
# The bad-input table: hostile files (written by make_test_inputs) and options, each run through the
# command that reads it. Every row must end in a non-zero exit (not a signal, not the time limit)
# with exactly one line on stderr that names the file and the problem; stylize must leave an
# existing output file untouched.
# usage: test_bad_inputs.sh GRAPHSTYLE MAKE_TEST_INPUTS
source "$(dirname "$0")/common.sh" "$@"
rows=0

# check KIND FILE EXPECTED: KIND says which command reads FILE.
check() {
  local kind="$1" file="$I/$2" expected="$3"
  rows=$((rows + 1))
  local out="$W/out.png"
  printf 'existing output\n' >"$out"
  local cmd
  case "$kind" in
    pth) cmd=("$GS" convert --vgg "$file" --decoder "$file" -o "$W/model.h5") ;;
    model) cmd=("$GS" stylize --model "$file" --content "$I/good_content.png" --style "$I/good_style.jpg" --size 0 --out "$out") ;;
    resume) cmd=("$GS" train --resume "$file") ;;
    trained) cmd=("$GS" convert --vgg "$I/good_zip.pth" --trained "$file" -o "$W/model.h5") ;;
    image) cmd=("$GS" stylize --model "$I/good_model.h5" --content "$file" --style "$I/good_style.jpg" --size 0 --out "$out") ;;
  esac
  timeout 60 "${cmd[@]}" >/dev/null 2>"$W/err"
  local code=$?
  local lines
  lines=$(wc -l <"$W/err")
  local problem=""
  if [ $code -eq 0 ]; then problem="exit 0"
  elif [ $code -eq 124 ]; then problem="timed out (60 s)"
  elif [ $code -ge 128 ]; then problem="killed by signal $((code - 128))"
  elif [ "$lines" -ne 1 ]; then problem="$lines lines on stderr, expected 1"
  elif ! grep -qF -- "$file" "$W/err"; then problem="the message does not name the file"
  elif ! grep -qF -- "$expected" "$W/err"; then problem="the message lacks '$expected'"
  elif grep -qE "bad_alloc|terminate called|what\(\)" "$W/err"; then problem="a raw exception"
  elif [ "$(cat "$out")" != "existing output" ]; then problem="the existing output file was changed"
  fi
  if [ -n "$problem" ]; then
    echo "FAIL $kind $2: $problem"
    sed 's/^/    /' "$W/err" | head -5
    failures=$((failures + 1))
  else
    echo "ok   $kind $2: $(cut -c1-150 "$W/err")"
  fi
}

# --- .pth weights (graphstyle convert) ---
check pth empty.pth "is empty"
check pth text.pth "not a PyTorch checkpoint"
check pth zip_truncated.pth "not a zip archive, or a truncated or damaged one"
check pth zip_crc.pth "CRC-32 mismatch"
check pth zip_deflate.pth "is compressed (deflate)"
check pth zip_no_pickle.pth "without <folder>/data.pkl"
check pth zip_numel_wrap.pth "more than the file's"
check pth zip_stride0_huge.pth "but its storage '0' has only 4"
check pth zip_storage_size.pth "has 16 bytes, expected 32"
check pth zip_view_past.pth "elements but its storage '0' has only 4"
check pth zip_int64.pth "has dtype int64"
check pth zip_global.pth "GLOBAL 'os.system' is not allowed"
check pth zip_nan.pth "tensor 'w' holds NaN"
check pth legacy_numel_wrap.pth "more than the file's"
check pth legacy_truncated.pth "truncated"
check pth legacy_bad_magic.pth "expected torch.save's magic number"
check pth legacy_inf.pth "tensor 'w' holds Inf"
check pth pickle_deep_lists.pth "expected torch.save's magic number"
check pth pickle_deep_tuples.pth "expected torch.save's magic number"
check pth pickle_120k_keys.pth "expected torch.save's magic number"
check pth pickle_cycle.pth "would hold itself"
check pth pickle_memo_copies.pth "memo look-ups copy more than"
check pth pickle_opcode.pth "unknown opcode 0xff"
# --- model files (graphstyle stylize --model) ---
check model model_text.h5 "not a graphstyle model file"
check model model_empty.h5 "not a graphstyle model file"
check model model_truncated.h5 "cannot open as HDF5"
check model model_is_pth.h5 "on the command line: convert"
check model model_attr_array.h5 "attribute 's_min' of '/' holds 3 values, expected one"
check model model_attr_string_array.h5 "attribute 'format' of '/' holds 3 values, expected one"
check model model_attr_vlen.h5 "variable-length string"
check model model_patch_nan.h5 "attribute 'patch' of '/' is nan, expected a finite number"
check model model_patch_even.h5 "attribute 'patch' is 4, expected an odd number"
check model model_patch_huge.h5 "attribute 'patch' of '/' is 1e+300, expected an integer"
check model model_smax_inf.h5 "attribute 's_max' of '/' is inf"
check model model_format.h5 "not a graphstyle model file"
check model model_recommended_alpha.h5 "attribute 'recommended_alpha' is 7, expected 0..1"
check trained good_model.h5 "not a graphstyle trained-weights file"
check trained model_attr_vlen.h5 "variable-length string"
check model model_version.h5 "format version 99 is newer than this graphstyle understands"
check model model_widths_huge.h5 "config/widths[3] is 1099511627776"
check model model_param_huge.h5 "inter.ac is [1048576, 1048576], expected [4]"
check model model_param_int.h5 "inter.ac is int64, expected float32"
check model model_param_missing.h5 "missing inter.ac"
check model model_param_shape.h5 "inter.ac is [5], expected [4]"
check model model_param_nan.h5 "tensor 'inter.ac' holds NaN"
check model model_param_bigendian.h5 "expected little-endian IEEE"
check model model_param_chunked.h5 "chunked, filtered or external"
# --- training checkpoints (graphstyle train --resume) ---
check resume ckpt_position_negative.h5 "attribute 'content_position' is -5, expected >= 0"
check resume ckpt_position_1e300.h5 "attribute 'style_position' of '/' is 1e+300, expected an integer"
check resume ckpt_step_array.h5 "attribute 'step' of '/' holds 4 values, expected one"
check resume ckpt_seed.h5 "attribute 'seed' is '-12abc'"
check resume ckpt_moment_shape.h5 "optimizer/m/decoder.dec1_1.bias is float32 [3, 1], expected float32 [3]"
check resume ckpt_moment_nan.h5 "optimizer/v/decoder.dec1_1.bias' holds NaN"
check resume ckpt_moment_stranger.h5 "optimizer/m/not.a.parameter belongs to no parameter"
check resume good_model.h5 "a model file, not a training checkpoint"
# --- images (graphstyle stylize --content) ---
check image img_empty.png "empty file, expected a PNG, JPEG or BMP image"
check image img_text.jpg "not a PNG, JPEG or BMP image"
check image img_gif.gif "not a PNG, JPEG or BMP image"
check image img_pgm16.pgm "not a PNG, JPEG or BMP image"
check image img_hdr.hdr "not a PNG, JPEG or BMP image"
check image img_psd.psd "not a PNG, JPEG or BMP image"
check image png_crc.png "truncated or corrupt PNG image"
check image png_truncated.png "truncated or corrupt PNG image"
check image png_huge.png "PNG"
check image jpeg_truncated.jpg "truncated or corrupt JPEG image"
check image jpeg_huge.jpg "larger than the limit"
check image jpeg_garbage.jpg "truncated or corrupt JPEG image"
check image bmp_truncated.bmp "truncated BMP image"
check image bmp_huge.bmp "larger than the limit"
check image bmp_rle.bmp "expected uncompressed"

# --- options: an output path that is an input is refused, and the input survives ---
option_row() {
  local name="$1" expected="$2" protected="$3"
  shift 3
  rows=$((rows + 1))
  local before
  before=$(md5sum <"$protected")
  timeout 60 "$@" >/dev/null 2>"$W/err"
  local code=$?
  if [ $code -eq 0 ] || [ $code -ge 124 ] || [ "$(wc -l <"$W/err")" -ne 1 ] || ! grep -qF -- "$expected" "$W/err" ||
     [ "$(md5sum <"$protected")" != "$before" ]; then
    echo "FAIL option $name (exit $code):"
    sed 's/^/    /' "$W/err" | head -5
    failures=$((failures + 1))
  else
    echo "ok   option $name: $(cut -c1-150 "$W/err")"
  fi
}
option_row "stylize --out = --content" "names the same file as --content" "$I/good_content.png" \
  "$GS" stylize --model "$I/good_model.h5" --content "$I/good_content.png" --style "$I/good_style.jpg" --out "$I/good_content.png"
option_row "stylize --out = --style (another spelling)" "names the same file as --style" "$I/good_style.jpg" \
  "$GS" stylize --model "$I/good_model.h5" --content "$I/good_content.png" --style "$I/good_style.jpg" --out "$I/../in/./good_style.jpg"
option_row "stylize --out = --model" "names the same file as --model" "$I/good_model.h5" \
  "$GS" stylize --model "$I/good_model.h5" --content "$I/good_content.png" --style "$I/good_style.jpg" --out "$I/good_model.h5"
option_row "convert -o = --vgg" "names the same file as --vgg" "$I/good_zip.pth" \
  "$GS" convert --vgg "$I/good_zip.pth" --decoder "$I/good_legacy.pth" -o "$I/good_zip.pth"

# --- stylize's many-image, blend, mask and colour options ---
ST=("$GS" stylize --model "$I/good_model.h5" --size 0)
C1="$I/good_content.png"
S1="$I/good_style.jpg"
mkdir -p "$W/empty_dir" "$W/dup/a" "$W/dup/b"
cp "$C1" "$W/dup/a/same.png"
cp "$C1" "$W/dup/b/same.png"
option_row "stylize --style-weights count" "1 weights for 2 --style images" "$C1" \
  "${ST[@]}" --content "$C1" --style "$S1" --style "$S1" --style-weights 0.7 --out "$W/o.png"
option_row "stylize --style-weights not a number" "'x' is not a number >= 0" "$C1" \
  "${ST[@]}" --content "$C1" --style "$S1" --style "$S1" --style-weights 0.7,x --out "$W/o.png"
option_row "stylize --style-weights all 0" "all weights are 0" "$C1" \
  "${ST[@]}" --content "$C1" --style "$S1" --style "$S1" --style-weights 0,0 --out "$W/o.png"
option_row "stylize --style-weights with --mask" "--style-weights and --mask exclude each other" "$C1" \
  "${ST[@]}" --content "$C1" --style "$S1" --style "$S1" --style-weights 1,1 --mask "$C1" --out "$W/o.png"
option_row "stylize --mask colours != styles" "distinct colours, expected one per --style (2" "$C1" \
  "${ST[@]}" --content "$C1" --style "$S1" --style none --mask "$C1" --out "$W/o.png"
option_row "stylize --mask missing" "$W/no_mask.png" "$C1" \
  "${ST[@]}" --content "$C1" --style "$S1" --style none --mask "$W/no_mask.png" --out "$W/o.png"
option_row "stylize --mask bad image" "not a PNG, JPEG or BMP image" "$C1" \
  "${ST[@]}" --content "$C1" --style "$S1" --style none --mask "$I/img_text.jpg" --out "$W/o.png"
option_row "stylize --preserve-color with --luminance-only" "exclude each other" "$C1" \
  "${ST[@]}" --content "$C1" --style "$S1" --preserve-color --luminance-only --out "$W/o.png"
option_row "stylize --out with many outputs" "this run writes 2 images: use --out-dir" "$C1" \
  "${ST[@]}" --content "$C1" --style "$S1" --style "$S1" --out "$W/o.png"
option_row "stylize --out and --out-dir" "give one of --out IMAGE and --out-dir DIR" "$C1" \
  "${ST[@]}" --content "$C1" --style "$S1" --out "$W/o.png" --out-dir "$W/od"
option_row "stylize --out-dir is a file" "exists and is not a folder" "$C1" \
  "${ST[@]}" --content "$C1" --style "$S1" --out-dir "$C1"
option_row "stylize --out is a folder" "is a folder (use --out-dir" "$C1" \
  "${ST[@]}" --content "$C1" --style "$S1" --out "$W/empty_dir"
option_row "stylize --ext" "option --ext gif: expected png | jpg" "$C1" \
  "${ST[@]}" --content "$C1" --style "$S1" --out-dir "$W/od" --ext gif
option_row "stylize --content empty folder" "$W/empty_dir: no images" "$C1" \
  "${ST[@]}" --content "$W/empty_dir" --style "$S1" --out-dir "$W/od"
option_row "stylize --content two files, one output name" "would both write" "$C1" \
  "${ST[@]}" --content "$W/dup" --style "$S1" --out-dir "$W/od"
option_row "stylize --method adain --k" "--k is a GNN option: it needs --method gnn" "$C1" \
  "${ST[@]}" --content "$C1" --style "$S1" --method adain --k 3 --out "$W/o.png"
option_row "stylize --seed" "option --seed -1: expected a whole number" "$C1" \
  "${ST[@]}" --content "$C1" --style "$S1" --seed -1 --out "$W/o.png"
option_row "stylize --style none without --mask" "none" "$C1" \
  "${ST[@]}" --content "$C1" --style none --out "$W/o.png"
option_row "stylize --temporal with adain" "--temporal on needs --method gnn" "$C1" \
  "${ST[@]}" --content "$C1" --style "$S1" --method adain --temporal on --out "$W/o.png"
option_row "stylize --temporal with a blend" "one style per output" "$C1" \
  "${ST[@]}" --content "$C1" --style "$S1" --style "$S1" --style-weights 1,1 --temporal on --out "$W/o.png"
option_row "stylize --temporal value" "option --temporal yes: expected on | off" "$C1" \
  "${ST[@]}" --content "$C1" --style "$S1" --temporal yes --out "$W/o.png"
option_row "stylize --temporal-smoothing 1" "option --temporal-smoothing 1: expected a number in [0, 0.999]" "$C1" \
  "${ST[@]}" --content "$C1" --style "$S1" --temporal on --temporal-smoothing 1 --out "$W/o.png"
option_row "stylize --temporal-smoothing alone" "--temporal-smoothing needs --temporal on" "$C1" \
  "${ST[@]}" --content "$C1" --style "$S1" --temporal-smoothing 0.3 --out "$W/o.png"
mkdir -p "$W/ov"
cp "$C1" "$W/ov/x.png"
cp "$C1" "$W/ov/x_y.png"
cp "$S1" "$W/ov/y.jpg"
option_row "stylize --out-dir over an input" "names the same file as --content" "$W/ov/x_y.png" \
  "${ST[@]}" --content "$W/ov/x.png" --content "$W/ov/x_y.png" --style "$W/ov/y.jpg" --out-dir "$W/ov"

echo "$rows rows, $failures failures"
[ "$failures" -eq 0 ]
