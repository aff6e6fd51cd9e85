#!/usr/bin/env bash
# The paper's ablations on this machine (README: "Ablations"): trains the variants that need training,
# stylizes the held-out pairs with every variant, and writes per comparison a labelled panel and a
# metric table. Resumable: re-running skips finished work and resumes an unfinished training run.
#
#   bash tools/ablation.sh OUT DATA_DIR [train | evaluate | all]   (default: all)
#     DATA_DIR  what tools/get_training_data.sh wrote: trains on DATA_DIR/train, measures on DATA_DIR/heldout
#   STEPS (640), THREADS (1): each trained variant's budget in steps, the same for all (a step at batch 4
#     of 256 x 256 crops costs 5.9-7.2 CPU-seconds here: 640 steps took 1.05-1.25 CPU-hours, at least
#     the hour each that was asked for; OUT/training.csv records what each really took); CROP (256): the
#     crop size (smaller only for a quick trial)
#   VARIANTS: which variants the train phase runs, in order (all)
#   COMPARISONS: which comparisons the evaluate phase writes (all), e.g. "fig5_deformable fig9_k"
#   SIZE (256): the evaluation size; PANEL_ROWS (4); GRAPHSTYLE: the binary (build/graphstyle)
#
# Every trained variant is fine-tuned from the shipped model (models/trained/graphstyle_gnn.h5, GAT, 2.9
# CPU-hours of training) with its training settings and one seed for STEPS more steps, changing only its
# switch. The control, gat, is the shipped model fine-tuned the same way with no switch: the extra
# steps alone move the metrics, so a variant is compared with a control that had them too.
#   gat (control), mean, gin, edgeconv, sage (aggregators), nodeform (--deformable off),
#   nointra (--kc 0), euclid (--metric euclidean).
# A comparison whose variant is not trained yet runs it as the switch alone on the shipped model and
# says so in the label (suffix "_untuned"), or leaves it out when the switch needs parameters the shipped
# model lacks (gin, edgeconv, sage); train the variant and delete the comparison's folder to redo it.
# Inference-only variants (patch size, k) use the shipped model itself: MODEL.md makes both free
# controls at inference, and the paper varies k at inference too.
#
# Writes OUT/COMPARISON/{panel.png, summary.csv, wins.csv, pairs.csv, times.csv} for
#   fig4_aggregator, fig5_deformable, fig6_intra, fig7_metric, fig8_patch, fig9_k.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
USAGE="usage: tools/ablation.sh OUT DATA_DIR [train | evaluate | all]"
OUT=${1:?$USAGE}
DATA=${2:?$USAGE}
PHASE=${3:-all}
BIN=${GRAPHSTYLE:-$ROOT/build/graphstyle}
SHARED=${GRAPHSTYLE_SHARED:-$ROOT/../shared}
STEPS=${STEPS:-640}
CROP=${CROP:-256}
THREADS=${THREADS:-1}
SIZE=${SIZE:-256}
PANEL_ROWS=${PANEL_ROWS:-4}
case "$PHASE" in train | evaluate | all) ;; *) echo "ablation: phase must be train, evaluate or all" >&2; exit 2 ;; esac
for d in "$DATA/train/content" "$DATA/train/style" "$DATA/heldout/content" "$DATA/heldout/style"; do
  [ -d "$d" ] || { echo "ablation: $d not found (run tools/get_training_data.sh $DATA first)" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "ablation: $BIN not found (build first, or set GRAPHSTYLE)" >&2; exit 1; }
if [ "$PHASE" != train ] && ! command -v gnuplot >/dev/null; then
  echo "ablation: gnuplot not found, needed for the training curves (tools/install_deps.sh installs gnuplot-nox)" >&2
  exit 1
fi
mkdir -p "$OUT/train"

# Each trained variant: its name and what it changes in training and at inference.
declare -A SWITCH=([gat]="" [mean]="--aggregator mean" [gin]="--aggregator gin"
  [edgeconv]="--aggregator edgeconv" [sage]="--aggregator sage" [nodeform]="--deformable off"
  [nointra]="--kc 0" [euclid]="--metric euclidean")
TRAINED=(gat mean gin edgeconv sage nodeform nointra euclid)
read -r -a ORDER <<< "${VARIANTS:-${TRAINED[*]}}"  # VARIANTS="gin sage": train only these, in this order
# The shipped model's training and recommended settings (README: the trained model).
TRAIN_SETTINGS=(--batch 4 --crop "$CROP" --resize 640 --resize-min 256 --flip on --lr 1e-4 --lr-decoder 1e-5
  --alpha 0.6 --mix 0.5 --photo-weight 10 --seed 5 --save-every 50 --preview-every 0)
STYLIZE_SETTINGS=(--alpha 0.6 --mix 0.5 --size "$SIZE")

log() { echo "ablation $(date +%H:%M:%S): $*" >&2; }

# train_variant NAME: runs (or resumes) NAME's fine-tuning to STEPS; OUT/train/NAME/model.h5 when done.
train_variant() {
  local name=$1 run=$OUT/train/$1
  [ -f "$run/model.h5" ] && return 0
  mkdir -p "$run"
  local args
  if [ -f "$run/checkpoint.h5" ]; then
    args=(--resume "$run/checkpoint.h5" --steps "$STEPS")
    log "$name: resuming $run/checkpoint.h5"
  else
    shipped_model
    # shellcheck disable=SC2206
    args=(--content "$DATA/train/content" --style "$DATA/train/style" --out "$run" --model "$OUT/shipped.h5"
      --init-decoder "$OUT/shipped.h5" --init-graph "$OUT/shipped.h5" "${TRAIN_SETTINGS[@]}" --steps "$STEPS"
      ${SWITCH[$name]})
    log "$name: training $STEPS steps into $run"
  fi
  # CPU seconds (user + system) of each invocation, summed when reporting.
  local TIMEFORMAT='%U %S'
  { time OMP_NUM_THREADS=$THREADS "$BIN" train "${args[@]}" >> "$run/stdout.log" 2>&1; } 2>> "$run/cpu_seconds"
}

# OUT/shipped.h5: the control, the shipped model with the encoder in one file.
shipped_model() {
  [ -f "$OUT/shipped.h5" ] && return 0
  # A temporary name of this process's own: several instances (VARIANTS=...) may start at once.
  "$BIN" convert --vgg "$SHARED/weights/vgg_normalised.pth" --trained "$ROOT/models/trained/graphstyle_gnn.h5" \
    -o "$OUT/shipped.$$.h5" >/dev/null
  mv "$OUT/shipped.$$.h5" "$OUT/shipped.h5"
}

# model_of VARIANT: the model file a variant stylizes with (shipped: the shipped model itself).
model_of() { if [ "$1" = shipped ]; then echo "$OUT/shipped.h5"; else echo "$OUT/train/$1/model.h5"; fi; }

# stylize_variant COMPARISON LABEL MODEL OPTIONS...: the held-out pairs into OUT/COMPARISON/LABEL/,
# their rows appended to the comparison's triples CSV and the wall time per image to times.csv.
stylize_variant() {
  local comp=$1 label=$2 model=$3
  shift 3
  local dir=$OUT/$comp/$label
  mkdir -p "$dir"
  local n_c n_s start end
  start=$(date +%s.%N)
  OMP_NUM_THREADS=$THREADS "$BIN" stylize --model "$model" --content "$DATA/heldout/content" \
    --style "$DATA/heldout/style" --out-dir "$dir" "${STYLIZE_SETTINGS[@]}" "$@" > "$dir/stylize.log" 2>&1
  end=$(date +%s.%N)
  n_c=$(find -L "$DATA/heldout/content" -type f | wc -l)
  n_s=$(find -L "$DATA/heldout/style" -type f | wc -l)
  awk -v l="$label" -v a="$start" -v b="$end" -v n=$((n_c * n_s)) \
    'BEGIN {printf "%s,%d,%.3f\n", l, n, (b - a) / n}' >> "$OUT/$comp/times.csv"
  local c s cb sb
  for c in "$DATA"/heldout/content/*; do
    for s in "$DATA"/heldout/style/*; do
      cb=$(basename "${c%.*}"); sb=$(basename "${s%.*}")
      echo "$(realpath "$c"),$(realpath "$s"),$label/${cb}_${sb}.png,$label" >> "$OUT/$comp/pairs.csv"
    done
  done
}

# comparison NAME "LABEL|VARIANT|OPTIONS" ...: stylizes every listed variant, then measures them all in
# one graphstyle evaluate run (metrics, panel). Skipped when NAME/summary.csv exists.
comparison() {
  local comp=$1
  shift
  [[ " ${COMPARISONS:-$comp} " == *" $comp "* ]] || return 0
  [ -f "$OUT/$comp/summary.csv" ] && { log "$comp: done before"; return 0; }
  rm -rf "${OUT:?}/$comp"
  mkdir -p "$OUT/$comp"
  echo "variant,images,seconds_per_image" > "$OUT/$comp/times.csv"
  local spec label variant opts
  for spec in "$@"; do
    IFS='|' read -r label variant opts <<< "$spec"
    local model switch=${SWITCH[$variant]:-}
    model=$(model_of "$variant")
    if [ ! -f "$model" ]; then
      case $variant in
        gin | edgeconv | sage)  # parameters the shipped model does not have
          log "$comp: $variant is not trained ($(model_of "$variant")): left out"
          continue ;;
      esac
      model=$(model_of shipped)
      label+=_untuned
      log "$comp: $variant is not trained ($(model_of "$variant")): its switch alone on the shipped model"
    fi
    log "$comp: stylizing $label"
    # shellcheck disable=SC2086
    stylize_variant "$comp" "$label" "$model" $switch $opts
  done
  OMP_NUM_THREADS=$THREADS "$BIN" evaluate --triples "$OUT/$comp/pairs.csv" --model "$(model_of shipped)" \
    --csv "$OUT/$comp/metrics.csv" --summary "$OUT/$comp/summary.tmp" --panel "$OUT/$comp/panel.png" \
    --panel-rows "$PANEL_ROWS" > "$OUT/$comp/evaluate.txt"
  paired_wins "$OUT/$comp/metrics.csv" > "$OUT/$comp/wins.csv"
  mv "$OUT/$comp/summary.tmp" "$OUT/$comp/summary.csv"
  log "$comp: $OUT/$comp/summary.csv, $OUT/$comp/panel.png"
}

# paired_wins METRICS_CSV: per variant after the first (the control) and per metric, on how many of the
# pairs the variant did better than the control on the same pair (lower is better but for ssim): a
# difference of means that one pair makes is told apart from one that most pairs agree on.
paired_wins() {
  awk -F, 'NR == 1 {for (c = 5; c <= NF; c++) name[c] = $c; last = NF; next}
    {key = $1 SUBSEP $2; if (!($3 in seen)) {seen[$3] = 1; order[++n] = $3}
     for (c = 5; c <= last; c++) v[$3, key, c] = $c; if ($3 == order[1]) pairs[++np] = key}
    END {printf "variant,pairs"; for (c = 5; c <= last; c++) printf ",%s", name[c]; printf "\n"
      for (i = 2; i <= n; i++) {printf "%s,%d", order[i], np
        for (c = 5; c <= last; c++) {w = 0
          for (j = 1; j <= np; j++) {a = v[order[i], pairs[j], c]; b = v[order[1], pairs[j], c]
            if (name[c] == "ssim" ? a > b : a < b) w++}
          printf ",%d", w}
        printf "\n"}}' "$1"
}

# OUT/training_curves.png: each trained variant's loss, content and style terms (100-step moving
# means: single steps vary 5x with the styles drawn), so a reader sees that the budgets were alike and
# whether a variant was still improving when its budget ran out.
plot_losses() {
  local tmp plots=("" "" "") v i col
  tmp=$(mktemp -d)
  for v in "${ORDER[@]}"; do
    awk -F, 'NR > 1 {n++; for (c = 3; c <= 5; c++) {x[c, n] = $c; s[c] += $c; if (n > 100) s[c] -= x[c, n - 100]}
      w = n < 100 ? n : 100; printf "%s %g %g %g\n", $1, s[3] / w, s[4] / w, s[5] / w}' \
      "$OUT/train/$v/log.csv" > "$tmp/$v.dat"
    for i in 0 1 2; do
      col=$((i + 2))
      plots[i]+="${plots[i]:+, }'$tmp/$v.dat' u 1:$col w l lw 2 t '$v'"
    done
  done
  {
    echo "set terminal pngcairo size 1500,460 font 'DejaVu Sans,10'"
    echo "set output '$OUT/training_curves.tmp.png'"
    echo "set multiplot layout 1,3 title 'ablation fine-tuning from the shipped model: 100-step moving means'"
    echo "set grid; set xlabel 'step'; set key outside below horizontal"
    echo "set title 'loss'; plot ${plots[0]}"
    echo "set title 'content term'; plot ${plots[1]}"
    echo "set title 'style term (before x lambda)'; plot ${plots[2]}"
    echo "unset multiplot"
  } > "$tmp/plot.gp"
  gnuplot "$tmp/plot.gp"
  mv "$OUT/training_curves.tmp.png" "$OUT/training_curves.png"
  rm -rf "$tmp"
}

# OUT/training.csv: what each variant's budget really was.
training_table() {
  local v
  echo "variant,steps,cpu_hours,wall_hours_of_steps" > "$OUT/training.csv"
  for v in "${ORDER[@]}"; do
    awk -v v="$v" -v f="$OUT/train/$v/log.csv" 'BEGIN {
        while ((getline line < f) > 0) if (n++) {split(line, a, ","); steps = a[1]; wall += a[6]}}
      {cpu += $1 + $2} END {printf "%s,%d,%.2f,%.2f\n", v, steps, cpu / 3600, wall / 3600}' \
      "$OUT/train/$v/cpu_seconds" >> "$OUT/training.csv"
  done
}

if [ "$PHASE" != evaluate ]; then
  for v in "${ORDER[@]}"; do
    [ -n "${SWITCH[$v]+set}" ] || { echo "ablation: no variant $v (${TRAINED[*]})" >&2; exit 2; }
    train_variant "$v"
  done
fi
if [ "$PHASE" != train ]; then
  shipped_model
  # The tables and curves cover the variants trained so far.
  TRAINED_NOW=()
  for v in "${ORDER[@]}"; do [ -f "$(model_of "$v")" ] && TRAINED_NOW+=("$v"); done
  ORDER=("${TRAINED_NOW[@]}")
  if [ ${#ORDER[@]} -gt 0 ]; then
    training_table
    plot_losses
  fi
  # shipped: what the control was before its extra steps, a row to see what they did (while gat is not
  # trained, its row is the shipped model already).
  FIG4=("gat|gat|" "mean|mean|" "gin|gin|" "edgeconv|edgeconv|" "sage|sage|")
  [ -f "$(model_of gat)" ] && FIG4+=("shipped|shipped|")
  comparison fig4_aggregator "${FIG4[@]}"
  comparison fig5_deformable "deformable|gat|" "fixed_scale|nodeform|"
  comparison fig6_intra "intra_kc5|gat|" "no_intra|nointra|"
  comparison fig7_metric "NCC|gat|" "Euclidean|euclid|"
  # The defaults first: the control the other columns are counted against (wins.csv).
  comparison fig8_patch "p=5|shipped|--patch 5" "p=3|shipped|--patch 3" "p=7|shipped|--patch 7"
  comparison fig9_k "k=5|shipped|--k 5" "k=1|shipped|--k 1" "k=3|shipped|--k 3" "k=10|shipped|--k 10" \
    "k=20|shipped|--k 20"
  log "done: $OUT/*/summary.csv"
fi
