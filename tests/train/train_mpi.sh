#!/usr/bin/env bash
# Data-parallel training (train/distributed.h): 2 ranks x global batch 4 against 1 process x batch 4,
# 5 steps of 64x64 crops of the shared images, 1 thread per process.
#   - the losses agree within 1e-4 relative: each rank averages its 2 samples and the ranks average
#     the two means, where one process averages 4 samples at once; only the float summation order
#     differs (a few ulp per sum), and what that does to 5 Adam steps;
#   - the final parameters agree within 1e-3 absolute: Adam moves every parameter by about lr = 1e-4 per
#     step whatever the gradient's size, so a gradient near 0 whose sign flips with the summation
#     order may move it by up to 2 lr per step (2 x 1e-4 x 5 steps = 1e-3);
#   - a run of 2 ranks stopped at step 3 and resumed with 2 ranks repeats the uninterrupted 2-rank
#     losses exactly; resumed by 1 process (and 1 process resumed by 2 ranks) within the tolerances above;
#   - log.csv's reduce_seconds; unreadable files counted over both ranks, each once;
#   - a rank that fails (an unreadable content folder) ends every rank, non-zero, naming rank and step;
#   - SIGTERM to one rank stops every rank after the same step with a checkpoint, exit 143;
#   - a rank killed outright ends the run, non-zero, and leaves the last checkpoint readable.
# usage: train_mpi.sh MPIRUN GRAPHSTYLE COMPARE_MODELS SHARED_DIR
set -uo pipefail
mpirun="$1"
bin="$2"
compare="$3"
shared="$4"
vgg="$shared/weights/vgg_normalised.pth"
if [[ ! -f "$vgg" || ! -d "$shared/images/content" ]]; then
  echo "SKIPPED: train_mpi needs $vgg and $shared/images (the released weights and the shared images)"
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
export OMP_NUM_THREADS=1
ranks() { "$mpirun" --oversubscribe --allow-run-as-root -np "$1" --bind-to none "${@:2}"; }
data=(--content "$shared/images/content" --style "$shared/images/style" --vgg "$vgg" --resize 96 --crop 64
  --preview-every 0 --seed 3)
common=("${data[@]}" --batch 4 --save-every 0)

"$bin" train "${common[@]}" --out "$tmp/one" --steps 5 >"$tmp/one.out" 2>&1 || fail "1 process: $(cat "$tmp/one.out")"
ranks 2 "$bin" train "${common[@]}" --out "$tmp/two" --steps 5 >"$tmp/two.out" 2>&1 || fail "2 ranks: $(cat "$tmp/two.out")"
grep -q "data-parallel on 2 ranks" "$tmp/two.out" || fail "2 ranks: no data-parallel note in $(cat "$tmp/two.out")"
[[ $(grep -c '^train:' "$tmp/two.out") -eq 1 ]] || fail "2 ranks: rank 0 alone should report"

# close_losses A B: the log.csv files A and B have 5 rows whose losses (columns 3-5) agree within 1e-4
# relative, step by step.
close_losses() {
  paste -d, "$1" "$2" | awk -F, -v n="$(head -1 "$1" | tr ',' '\n' | wc -l)" '
    NR == 1 { next }
    { for (c = 3; c <= 5; ++c) {
        a = $c; b = $(c + n); d = a - b; if (d < 0) d = -d; s = a < 0 ? -a : a;
        r = d / (s > 1e-12 ? s : 1e-12); if (r > worst) worst = r } ; rows++ }
    END { printf "losses over %d steps: largest relative difference %.3g (tolerance 1e-4)\n", rows, worst;
          exit !(rows == 5 && worst <= 1e-4) }'
}
if close_losses "$tmp/one/log.csv" "$tmp/two/log.csv"; then
  echo "ok: 2 ranks x 2 images give the losses of 1 process x 4"
else
  fail "losses differ: $(cat "$tmp/one/log.csv" "$tmp/two/log.csv")"
fi
# reduce_seconds (column 8): the wait for the averaged gradients, 0 on one process.
awk -F, 'NR > 1 && $8 != 0 { bad = 1 } END { exit bad }' "$tmp/one/log.csv" &&
  awk -F, 'NR > 1 && !($8 >= 0 && $8 < 60) { bad = 1 } END { exit bad || NR != 6 }' "$tmp/two/log.csv" &&
  echo "ok: log.csv has the reduce wait per step" || fail "reduce_seconds: $(cat "$tmp/one/log.csv" "$tmp/two/log.csv")"
"$compare" "$tmp/one/model.h5" "$tmp/two/model.h5" 1e-3 && echo "ok: the same parameters after 5 steps" ||
  fail "final parameters differ"

# Exact resume with 2 ranks: stop at 3 (--steps 3), resume to 5.
ranks 2 "$bin" train "${common[@]}" --out "$tmp/resumed" --steps 3 >"$tmp/r1.out" 2>&1 || fail "2 ranks to 3: $(cat "$tmp/r1.out")"
cp -r "$tmp/resumed" "$tmp/two_then_one"
ranks 2 "$bin" train --resume "$tmp/resumed/checkpoint.h5" --steps 5 >"$tmp/r2.out" 2>&1 ||
  fail "2 ranks resumed: $(cat "$tmp/r2.out")"
if diff <(cut -d, -f1,3-5 "$tmp/two/log.csv") <(cut -d, -f1,3-5 "$tmp/resumed/log.csv"); then
  echo "ok: resumed with 2 ranks, the losses of the uninterrupted run exactly"
else
  fail "resumed losses differ"
fi
"$compare" "$tmp/two/model.h5" "$tmp/resumed/model.h5" 0 >/dev/null && echo "ok: and the same parameters, bit for bit" ||
  fail "resumed parameters differ"

# Resuming with another number of ranks (the checkpoint is the one-process one): 2 ranks to step 3 then
# 1 process to 5, and 1 process to 3 then 2 ranks to 5. The resumed steps follow the uninterrupted run
# of the other N within the tolerances above, as 1 and 2 ranks do from the start; not bit for bit.
"$bin" train --resume "$tmp/two_then_one/checkpoint.h5" --steps 5 >"$tmp/r21.out" 2>&1 ||
  fail "2 ranks resumed by 1: $(cat "$tmp/r21.out")"
grep -q "note: 1 data-parallel rank(s) here, 2 in the checkpoint's run" "$tmp/r21.out" ||
  fail "2 ranks resumed by 1: no note on the rank count in $(cat "$tmp/r21.out")"
close_losses "$tmp/two/log.csv" "$tmp/two_then_one/log.csv" &&
  "$compare" "$tmp/two/model.h5" "$tmp/two_then_one/model.h5" 1e-3 >/dev/null &&
  echo "ok: 2 ranks to step 3, then 1 process: the losses and parameters of the 2-rank run" ||
  fail "2 ranks resumed by 1 process: $(cat "$tmp/two/log.csv" "$tmp/two_then_one/log.csv")"
"$bin" train "${common[@]}" --out "$tmp/one_then_two" --steps 3 >"$tmp/r12a.out" 2>&1 || fail "1 process to 3: $(cat "$tmp/r12a.out")"
ranks 2 "$bin" train --resume "$tmp/one_then_two/checkpoint.h5" --steps 5 >"$tmp/r12.out" 2>&1 ||
  fail "1 process resumed by 2 ranks: $(cat "$tmp/r12.out")"
close_losses "$tmp/one/log.csv" "$tmp/one_then_two/log.csv" &&
  "$compare" "$tmp/one/model.h5" "$tmp/one_then_two/model.h5" 1e-3 >/dev/null &&
  echo "ok: 1 process to step 3, then 2 ranks: the losses and parameters of the 1-process run" ||
  fail "1 process resumed by 2 ranks: $(cat "$tmp/one/log.csv" "$tmp/one_then_two/log.csv")"

# Unreadable files are counted over every rank, each once. Each folder holds 2 images and 1 unreadable
# file, so a step's 4 samples run through the whole permutation: step 1 meets both bad files, on
# whichever rank draws them (rank 0 alone may miss one), and later epochs meet them on the other rank
# again (a sum of the ranks' counts would say 3 or 4).
mkdir -p "$tmp/few/content" "$tmp/few/style"
cp "$shared/images/content/chicago.jpg" "$shared/images/content/cornell.jpg" "$tmp/few/content/"
cp "$shared/images/style/asheville.jpg" "$shared/images/style/brushstrokes.jpg" "$tmp/few/style/"
printf 'not an image' >"$tmp/few/content/broken.jpg"
printf 'not a png' >"$tmp/few/style/broken.png"
ranks 2 "$bin" train --content "$tmp/few/content" --style "$tmp/few/style" --vgg "$vgg" --resize 96 --crop 64 \
  --preview-every 0 --batch 4 --save-every 0 --steps 3 --out "$tmp/skips" >"$tmp/skips.out" 2>&1 ||
  fail "unreadable files: $(cat "$tmp/skips.out")"
if [[ $(cut -d, -f7 "$tmp/skips/log.csv" | tail -n +2 | sort -u) == 2 ]] &&
  grep -q "^skipped 2 unreadable images" "$tmp/skips.out"; then
  echo "ok: 2 ranks count the 2 unreadable files once each, in every log row and at the end"
else
  fail "unreadable files over ranks: $(cat "$tmp/skips/log.csv" "$tmp/skips.out")"
fi

# A global batch the ranks cannot split.
ranks 2 "$bin" train "${data[@]}" --save-every 0 --batch 3 --out "$tmp/odd" --steps 1 >"$tmp/odd.out" 2>&1 &&
  fail "batch 3 on 2 ranks was accepted"
grep -q "option --batch 3 (the global batch) is not divisible by the 2" "$tmp/odd.out" && echo "ok: batch 3 on 2 ranks refused" ||
  fail "batch 3 on 2 ranks: $(cat "$tmp/odd.out")"

# One rank fails alone (its content folder holds only an unreadable file; mpirun's MPMD form gives
# rank 1 other arguments): every rank must end, non-zero, with the rank and step named, never hang.
mkdir -p "$tmp/bad"
printf 'not an image' >"$tmp/bad/a.jpg"
bad=(--style "$shared/images/style" --vgg "$vgg" --batch 4 --resize 96 --crop 64 --save-every 0 --preview-every 0
  --steps 5)
timeout 120 "$mpirun" --oversubscribe --allow-run-as-root --bind-to none \
  -np 1 "$bin" train --content "$shared/images/content" --out "$tmp/fail" "${bad[@]}" : \
  -np 1 "$bin" train --content "$tmp/bad" --out "$tmp/fail1" "${bad[@]}" >"$tmp/fail.out" 2>&1
code=$?
if [[ $code -ne 0 && $code -ne 124 ]] && grep -q "rank 1 of 2: error: step 1: --content: none of the 1 images could be read" "$tmp/fail.out"; then
  echo "ok: a failing rank ends the run (exit $code) naming rank and step"
else
  fail "failing rank: exit $code (124: hung), output: $(cat "$tmp/fail.out")"
fi

# SIGTERM to rank 1 alone: both ranks stop after the same step, rank 0 saves the checkpoint and the
# run exits 143; resumed with 2 ranks it goes on to its end.
rank_pid() {  # rank_pid OUT_DIR RANK: the pid of that rank of the run writing to OUT_DIR
  local pid
  for pid in $(pgrep -f -- "--out $1"); do
    tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=$2" && echo "$pid"
  done
}
"$mpirun" --oversubscribe --allow-run-as-root -np 2 --bind-to none "$bin" train "${common[@]}" --out "$tmp/termed" \
  --steps 1000 >"$tmp/termed.out" 2>&1 &
launcher=$!
for _ in $(seq 600); do
  [[ -f "$tmp/termed/log.csv" && $(wc -l <"$tmp/termed/log.csv") -ge 2 ]] && break
  sleep 0.2
done
kill -TERM "$(rank_pid "$tmp/termed" 1)"
wait "$launcher"
code=$?
steps=$(($(wc -l <"$tmp/termed/log.csv") - 1))
if [[ $code -eq 143 ]] && grep -q "stopped by signal 15 after step $steps; saved" "$tmp/termed.out"; then
  echo "ok: SIGTERM to one rank stops both after step $steps with a checkpoint (exit 143)"
else
  fail "SIGTERM to rank 1: exit $code, output: $(tail -5 "$tmp/termed.out")"
fi
ranks 2 "$bin" train --resume "$tmp/termed/checkpoint.h5" --steps $((steps + 1)) >"$tmp/termed2.out" 2>&1 &&
  [[ $(wc -l <"$tmp/termed/log.csv") -eq $((steps + 2)) ]] && echo "ok: and resumes from it" ||
  fail "resume after SIGTERM: $(tail -3 "$tmp/termed2.out")"

# A rank killed outright (SIGKILL, as by the out-of-memory killer) mid-run: mpirun ends the other,
# non-zero, and the last checkpoint (saved every step) stays readable.
"$mpirun" --oversubscribe --allow-run-as-root -np 2 --bind-to none "$bin" train "${data[@]}" --batch 4 --out "$tmp/killed" \
  --steps 1000 --save-every 1 >"$tmp/killed.out" 2>&1 &
launcher=$!
for _ in $(seq 600); do
  [[ -f "$tmp/killed/log.csv" && $(wc -l <"$tmp/killed/log.csv") -ge 3 ]] && break
  sleep 0.2
done
victim=$(rank_pid "$tmp/killed" 1)
if [[ -z "$victim" ]]; then
  fail "killed rank: rank 1 not found under mpirun ($launcher)"
  kill "$launcher" 2>/dev/null
else
  kill -KILL "$victim"
fi
timeout 60 tail --pid="$launcher" -f /dev/null
if kill -0 "$launcher" 2>/dev/null; then
  fail "killed rank: mpirun still running 60 s after rank 1 was killed"
  kill -KILL "$launcher"
fi
wait "$launcher"
code=$?
if [[ $code -ne 0 ]] && "$compare" "$tmp/killed/checkpoint.h5" "$tmp/killed/checkpoint.h5" 0 >/dev/null; then
  echo "ok: a killed rank ends the run (exit $code); checkpoint.h5 is intact"
else
  fail "killed rank: exit $code, output: $(tail -5 "$tmp/killed.out")"
fi

((failures == 0)) || { echo "$failures failure(s)"; exit 1; }
echo "train_mpi: all passed"
