#!/usr/bin/env bash
# The training campaign behind models/trained/graphstyle_gnn.h5 (README: the trained model), in the
# background and resumable across sessions:
#   - RUN/checkpoint.h5 exists: resume it exactly (graphstyle train --resume);
#   - otherwise start RUN from START (default: the shipped weights joined with the released encoder, so a
#     machine that lost RUN warm-starts from what was committed; Adam's moments start afresh then);
#     START=adain starts from the AdaIN decoder and MODEL.md's graph initialisation, as run m07p2 did.
# Snapshots every 100 steps (model_STEP.h5) for tools/eval_campaign.sh; log in RUN/stdout.log.
#
#   bash tools/train_campaign.sh RUN DATA_DIR [extra train options...]
#     DATA_DIR  what tools/get_training_data.sh wrote (DATA_DIR/train/{content,style})
#   THREADS (default 1), NICE (default 0), STEPS (default 100000), START (shipped | adain)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN=${1:?usage: tools/train_campaign.sh RUN DATA_DIR [train options...]}
DATA=${2:?usage: tools/train_campaign.sh RUN DATA_DIR [train options...]}
shift 2
BIN=${GRAPHSTYLE:-$ROOT/build/graphstyle}
SHARED=${GRAPHSTYLE_SHARED:-$ROOT/../shared}
THREADS=${THREADS:-1}
mkdir -p "$RUN"
run() { OMP_NUM_THREADS=$THREADS nohup nice -n "${NICE:-0}" "$BIN" train "$@" >> "$RUN/stdout.log" 2>&1 & }
if [ -f "$RUN/checkpoint.h5" ]; then
  run --resume "$RUN/checkpoint.h5" "$@"
else
  START_MODEL=$RUN/start.h5
  GRAPH=(--init-graph "$START_MODEL")
  case "${START:-shipped}" in
    shipped) "$BIN" convert --vgg "$SHARED/weights/vgg_normalised.pth" --trained "$ROOT/models/trained/graphstyle_gnn.h5" \
               -o "$START_MODEL" >/dev/null ;;
    adain) GRAPH=()  # MODEL.md's initialisation, drawn with --seed
           "$BIN" convert --vgg "$SHARED/weights/vgg_normalised.pth" --decoder "$SHARED/weights/decoder.pth" \
             -o "$START_MODEL" >/dev/null ;;
    *) echo "train_campaign: START must be shipped or adain" >&2; exit 1 ;;
  esac
  # m07p2's settings; an option given on the command line replaces its default here (train rejects
  # an option given twice).
  DEFAULTS=(--batch 4 --crop 256 --resize 640 --resize-min 256 --flip on --lr 1e-4 --lr-decoder 1e-5
    --alpha 0.7 --mix 1 --photo-weight 2 --seed 1 --steps "${STEPS:-100000}"
    --save-every 100 --snapshot-every 100 --preview-every 200)
  KEPT=()
  for ((i = 0; i < ${#DEFAULTS[@]}; i += 2)); do
    [[ " $* " == *" ${DEFAULTS[i]} "* ]] || KEPT+=("${DEFAULTS[i]}" "${DEFAULTS[i+1]}")
  done
  run --content "$DATA/train/content" --style "$DATA/train/style" --out "$RUN" \
    --model "$START_MODEL" --init-decoder "$START_MODEL" "${GRAPH[@]}" "${KEPT[@]}" "$@"
fi
echo "train_campaign: running in the background; log $RUN/stdout.log, losses $RUN/log.csv"
