#!/usr/bin/env bash
# Draws a training run's curves with gnuplot (Debian's gnuplot-nox, from tools/install_deps.sh):
#   RUN/curves.png: top, the training loss and its two terms per step (thin) with a 50-step moving
#   average (thick); below, when RUN/heldout_256.csv (or $HELDOUT) exists (tools/eval_campaign.sh writes it), the held-out
#   metrics against the step, each beside AdaIN's value on the same pairs (dashed).
#
#   bash tools/plot_training.sh RUN [OUT.png]
set -euo pipefail
RUN=${1:?usage: tools/plot_training.sh RUN_DIR [OUT.png]}
OUT=${2:-$RUN/curves.png}
LOG=$RUN/log.csv
HELDOUT=${HELDOUT:-$RUN/heldout_256.csv}
[ -f "$LOG" ] || { echo "plot_training: $LOG not found" >&2; exit 1; }
command -v gnuplot >/dev/null ||
  { echo "plot_training: gnuplot not found (tools/install_deps.sh installs gnuplot-nox)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# step, loss, content, style x lambda, and their 50-step moving averages (the loss varies 5x from batch
# to batch with the style images drawn, so the trend is only visible averaged).
awk -F, 'NR > 1 {
  n++; s[n] = $1; l[n] = $3; c[n] = $4; st[n] = $5
  sl += $3; sc += $4; ss += $5
  if (n > 50) { sl -= l[n-50]; sc -= c[n-50]; ss -= st[n-50] }
  w = n < 50 ? n : 50
  printf "%s %s %s %s %g %g %g\n", $1, $3, $4, $5, sl / w, sc / w, ss / w
}' "$LOG" > "$tmp/loss.dat"

rows=1; [ -f "$HELDOUT" ] && rows=2
{
  echo "set terminal pngcairo size 1400,$((rows * 420 + 40)) font 'DejaVu Sans,10'"
  echo "set output '$OUT.tmp.png'"
  echo "set datafile separator whitespace"
  echo "set multiplot layout $rows,1 title 'graphstyle training: $(basename "$RUN")'"
  echo "set grid; set key outside right; set xlabel 'step'; set ylabel 'loss'; set logscale y"
  echo "plot '$tmp/loss.dat' u 1:2 w l lc rgb '#c0c0ff' notitle, '' u 1:5 w l lw 2 lc rgb '#0000c0' t 'loss (50-step mean)', \
        '' u 1:3 w l lc rgb '#c0ffc0' notitle, '' u 1:6 w l lw 2 lc rgb '#008000' t 'content term', \
        '' u 1:4 w l lc rgb '#ffc0c0' notitle, '' u 1:7 w l lw 2 lc rgb '#c00000' t 'style term (before x lambda)'"
  if [ "$rows" = 2 ]; then
    # heldout.csv: step,method,content4,content3,style,local3,local4,ssim (means over the held-out pairs);
    # AdaIN's row has method adain and is drawn as a flat dashed line. Each metric is divided by AdaIN's,
    # so 1 is AdaIN and the targets are lines too.
    awk -F, 'NR > 1 && $2 == "adain" {print $3, $5, $7, $8}' "$HELDOUT" | head -1 > "$tmp/adain.dat"
    read -r a_c a_s a_l a_ssim < "$tmp/adain.dat"
    awk -F, -v ac="$a_c" -v as="$a_s" -v al="$a_l" -v assim="$a_ssim" \
      'NR > 1 && $2 != "adain" {print $1, $3 / ac, $5 / as, $7 / al, $8 / assim}' "$HELDOUT" | sort -n > "$tmp/heldout.dat"
    echo "unset logscale y; set ylabel 'held-out metric / AdaIN''s'"
    echo "plot '$tmp/heldout.dat' u 1:2 w lp lw 2 pt 7 lc rgb '#008000' t 'content loss relu4\_1 (target <= 1)', \
          '' u 1:3 w lp lw 2 pt 7 lc rgb '#c00000' t 'global style loss (target <= 1.5)', \
          '' u 1:4 w lp lw 2 pt 7 lc rgb '#8000c0' t 'local-style distance relu4\_1 (target <= 0.85)', \
          '' u 1:5 w lp lw 2 pt 7 lc rgb '#000000' t 'SSIM to content (higher is better)', \
          1 w l dt 2 lc rgb '#808080' t 'AdaIN'"
  fi
  echo "unset multiplot"
} > "$tmp/plot.gp"
gnuplot "$tmp/plot.gp"
mv "$OUT.tmp.png" "$OUT"
echo "$OUT"
