#!/usr/bin/env bash
# Tour steps 2 and 3 drawn: runs them to write their autograd graphs as DOT, renders each with
# Graphviz's dot to SVG and PNG in OUT_DIR, and checks the pictures hold the ops they should.
#   render_graphs.sh TOUR_2_AUTOGRAD TOUR_3_TRAIN OUT_DIR
set -euo pipefail
step2=$1 step3=$2 out=$3
if ! command -v dot >/dev/null; then
  echo "render_graphs: SKIPPED (no dot: apt-get install graphviz)"
  exit 0
fi
mkdir -p "$out"
"$step2" "$out/autograd.dot" >/dev/null
"$step3" "$out/train_step.dot" >/dev/null
for g in autograd train_step; do
  dot -Tsvg "$out/$g.dot" -o "$out/$g.svg"
  dot -Tpng "$out/$g.dot" -o "$out/$g.png"
done
# The SVG keeps the labels as text: every op of y = relu(conv(x, w) + b), L = sum(y * r) is drawn.
for op in conv2d add relu mul 'L = sum'; do
  grep -q ">$op<" "$out/autograd.svg" || { echo "render_graphs: FAILED: no $op in autograd.svg"; exit 1; }
done
for op in conv2d_relu conv2d 'loss = mse_loss' w1 b2; do
  grep -q ">$op<" "$out/train_step.svg" || { echo "render_graphs: FAILED: no $op in train_step.svg"; exit 1; }
done
echo "render_graphs: OK ($out/autograd.png, $out/train_step.png)"
