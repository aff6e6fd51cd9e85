#!/usr/bin/env bash
# Held-out curve of a training run: measures every model snapshot (RUN/model_STEP.h5, written by
# `graphstyle train --snapshot-every`) that RUN/heldout_SIZE.csv does not have yet, on every held-out
# content x style pair, and appends the means over the pairs:
#   RUN/heldout_SIZE.csv   step,method,content4,content3,style,local3,local4,ssim
# The first call also measures AdaIN (the released decoder, same encoder and pairs) as row "adain".
# tools/plot_training.sh draws the result.
#
#   bash tools/eval_campaign.sh RUN HELDOUT_DIR SIZE [GNN OPTIONS...]
#     HELDOUT_DIR  content/ and style/ folders (tools/get_training_data.sh writes DIR/heldout)
#     SIZE         stylize's --size (256, 512)
#     GNN OPTIONS  the settings the run trains for, e.g. --alpha 0.7 --mix adain (snapshots carry none)
#   GRAPHSTYLE=path/to/graphstyle (default build/graphstyle); VGG, DECODER: the released .pth files
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
USAGE="usage: tools/eval_campaign.sh RUN HELDOUT_DIR SIZE [GNN OPTIONS...]"
RUN=${1:?$USAGE}
HELDOUT=${2:?$USAGE}
SIZE=${3:?$USAGE}
shift 3
BIN=${GRAPHSTYLE:-$ROOT/build/graphstyle}
SHARED=${GRAPHSTYLE_SHARED:-$ROOT/../shared}
VGG=${VGG:-$SHARED/weights/vgg_normalised.pth}
DECODER=${DECODER:-$SHARED/weights/decoder.pth}
OUT=$RUN/heldout_$SIZE.csv
EVAL=$RUN/heldout_eval_$SIZE
mkdir -p "$EVAL"
[ -f "$OUT" ] || echo "step,method,content4,content3,style,local3,local4,ssim" > "$OUT"

# means METHOD CSV: the per-method means of an evaluate CSV, in heldout.csv's column order.
means() {
  awk -F, -v m="$1" 'NR > 1 && $3 == m {n++; for (c = 5; c <= 10; c++) s[c] += $c}
    END {if (n) printf "%g,%g,%g,%g,%g,%g\n", s[5]/n, s[6]/n, s[7]/n, s[8]/n, s[9]/n, s[10]/n}' "$2"
}

if ! grep -q '^-1,adain,' "$OUT"; then
  "$BIN" convert --vgg "$VGG" --decoder "$DECODER" -o "$EVAL/adain_model.h5" >/dev/null
  "$BIN" evaluate --content "$HELDOUT/content" --style "$HELDOUT/style" --model "$EVAL/adain_model.h5" \
    --method adain --size "$SIZE" --csv "$EVAL/adain.csv" >/dev/null
  echo "-1,adain,$(means adain "$EVAL/adain.csv")" >> "$OUT"
fi
for model in "$RUN"/model_[0-9]*.h5; do
  [ -f "$model" ] || continue
  step=$(basename "$model" .h5); step=$((10#${step#model_}))
  grep -q "^$step,gnn," "$OUT" && continue
  "$BIN" evaluate --content "$HELDOUT/content" --style "$HELDOUT/style" --model "$model" --method gnn \
    --size "$SIZE" "$@" --csv "$EVAL/step_$step.csv" >/dev/null
  echo "$step,gnn,$(means gnn "$EVAL/step_$step.csv")" >> "$OUT"
  echo "step $step: $(tail -1 "$OUT")"
done
