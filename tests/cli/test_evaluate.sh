#!/usr/bin/env bash
# graphstyle evaluate end to end on two small shared images: the CSV has one row per pair and method
# with every metric, identical triples measure content loss 0 and SSIM 1, and the panel is written.
#   usage: test_evaluate.sh path/to/graphstyle path/to/shared
set -u
GS=$1
SHARED=$2
W=$SHARED/weights
if [ ! -f "$W/vgg_normalised.pth" ] || [ ! -f "$W/decoder.pth" ] || [ ! -d "$SHARED/images/content" ]; then
  echo "SKIPPED: $W or $SHARED/images not found: graphstyle evaluate needs the released weights and images"
  exit 0
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

M=$TMP/model.h5
"$GS" convert --vgg "$W/vgg_normalised.pth" --decoder "$W/decoder.pth" -o "$M" >/dev/null || { echo "FAIL: convert"; exit 1; }
mkdir -p "$TMP/content" "$TMP/style" "$TMP/out"
cp "$SHARED/images/content/chicago.jpg" "$SHARED/images/content/sailboat.jpg" "$TMP/content/"
cp "$SHARED/images/style/starry_night.jpg" "$TMP/style/"

# Folders: 2 pairs x 2 methods = 4 rows of 10 columns.
if ! "$GS" evaluate --model "$M" --content "$TMP/content" --style "$TMP/style" --size 64 --method gnn --method adain \
    --csv "$TMP/r.csv" --json "$TMP/r.json" --panel "$TMP/p.png" --out-dir "$TMP/out" >"$TMP/stdout" 2>"$TMP/stderr"; then
  fail "evaluate on folders: $(cat "$TMP/stderr")"
else
  [ "$(head -1 "$TMP/r.csv")" = "content,style,method,output,content_relu4_1,content_relu3_1,style,local_relu3_1,local_relu4_1,ssim" ] ||
    fail "CSV header: $(head -1 "$TMP/r.csv")"
  [ "$(tail -n +2 "$TMP/r.csv" | wc -l)" -eq 4 ] || fail "CSV rows: expected 4, got $(tail -n +2 "$TMP/r.csv" | wc -l)"
  awk -F, 'NR > 1 && NF != 10 {exit 1}' "$TMP/r.csv" || fail "CSV rows without 10 fields"
  [ "$(cut -d, -f3 "$TMP/r.csv" | tail -n +2 | sort | uniq -c | awk '{print $1 $2}' | tr '\n' ' ')" = "2adain 2gnn " ] ||
    fail "CSV methods: $(cut -d, -f3 "$TMP/r.csv" | tr '\n' ' ')"
  # Stylized images differ from their content: positive content loss, SSIM below 1.
  awk -F, 'NR > 1 && !($5 > 0 && $10 < 1 && $7 > 0 && $8 > 0 && $8 < 1) {exit 1}' "$TMP/r.csv" || fail "implausible metrics: $(cat "$TMP/r.csv")"
  grep -q '^gnn ' "$TMP/stdout" && grep -q '^adain ' "$TMP/stdout" || fail "summary table: $(cat "$TMP/stdout")"
  [ "$(ls "$TMP/out" | wc -l)" -eq 4 ] || fail "--out-dir: $(ls "$TMP/out")"
  [ "$(head -c 8 "$TMP/p.png" | od -An -tx1 | tr -d ' ')" = "89504e470d0a1a0a" ] || fail "--panel is not a PNG"
  grep -q '"summary"' "$TMP/r.json" || fail "JSON has no summary"

  # The saved outputs as triples reproduce the folder run's numbers.
  { echo "content,style,output,method"; tail -n +2 "$TMP/r.csv" | awk -F, '{print $1 "," $2 "," $4 "," $3}'; } >"$TMP/t.csv"
  if "$GS" evaluate --model "$M" --triples "$TMP/t.csv" --size 64 --csv "$TMP/t_r.csv" >/dev/null 2>"$TMP/stderr"; then
    paste -d, <(cut -d, -f5- "$TMP/r.csv") <(cut -d, -f5- "$TMP/t_r.csv") | tail -n +2 |
      awk -F, '{for (i = 1; i <= 6; i++) { d = $i - $(i + 6); if (d < 0) d = -d; if (d > 1e-4 * (1 + ($i < 0 ? -$i : $i))) exit 1 }}' ||
      fail "triples of the saved outputs differ from the folder run: $(cat "$TMP/r.csv" "$TMP/t_r.csv")"
  else
    fail "evaluate --triples of saved outputs: $(cat "$TMP/stderr")"
  fi
fi

# Identical triples: output = content -> content losses 0 and SSIM 1.
C=$(ls "$TMP/out"/*adain* | head -1)
printf '%s,%s,%s,same\n' "$C" "$TMP/style/starry_night.jpg" "$C" >"$TMP/same.csv"
if "$GS" evaluate --model "$M" --triples "$TMP/same.csv" --csv "$TMP/same_r.csv" >/dev/null 2>"$TMP/stderr"; then
  row=$(tail -1 "$TMP/same_r.csv")
  [ "$(echo "$row" | cut -d, -f5,6,10)" = "0,0,1" ] || fail "identical triple: expected content 0,0 and ssim 1, got $row"
else
  fail "evaluate identical triple: $(cat "$TMP/stderr")"
fi

# A model's recommended settings apply to its GNN, as in stylize (and not to AdaIN): a model packed with
# alpha 0.5 measures what the plain model measures with --alpha 0.5 for gnn, and with alpha 1 for adain.
one() { "$GS" evaluate --content "$TMP/content/chicago.jpg" --style "$TMP/style" --size 64 "$@"; }
if "$GS" pack --model "$M" -o "$TMP/trained.h5" --half off --alpha 0.5 >/dev/null 2>"$TMP/stderr" &&
   "$GS" convert --vgg "$W/vgg_normalised.pth" --trained "$TMP/trained.h5" -o "$TMP/m_rec.h5" >/dev/null 2>>"$TMP/stderr"; then
  one --model "$TMP/m_rec.h5" --csv "$TMP/rec.csv" >"$TMP/stdout" 2>"$TMP/stderr" || fail "evaluate m_rec: $(cat "$TMP/stderr")"
  grep -q "the model's recommended settings: --alpha 0.5" "$TMP/stdout" || fail "no note of the recommended settings: $(cat "$TMP/stdout")"
  one --model "$M" --method gnn --alpha 0.5 --csv "$TMP/a05.csv" >/dev/null 2>&1 || fail "evaluate --alpha 0.5"
  one --model "$M" --method adain --csv "$TMP/a1.csv" >/dev/null 2>&1 || fail "evaluate adain"
  [ "$(grep ',gnn,' "$TMP/rec.csv" | cut -d, -f5-)" = "$(grep ',gnn,' "$TMP/a05.csv" | cut -d, -f5-)" ] ||
    fail "gnn with the recommended alpha 0.5 differs from --alpha 0.5: $(cat "$TMP/rec.csv" "$TMP/a05.csv")"
  [ "$(grep ',adain,' "$TMP/rec.csv" | cut -d, -f5-)" = "$(grep ',adain,' "$TMP/a1.csv" | cut -d, -f5-)" ] ||
    fail "adain took the GNN's recommended alpha: $(cat "$TMP/rec.csv" "$TMP/a1.csv")"
else
  fail "pack / convert --trained: $(cat "$TMP/stderr")"
fi

# Two models: one column per model and method, LABEL:METHOD; the same weights measure the same.
if one --model "a=$M" --model "b=$M" --method adain --csv "$TMP/two.csv" >/dev/null 2>"$TMP/stderr"; then
  [ "$(cut -d, -f3 "$TMP/two.csv" | tail -n +2 | tr '\n' ' ')" = "a:adain b:adain " ] || fail "two models' columns: $(cat "$TMP/two.csv")"
  [ "$(sed -n 2p "$TMP/two.csv" | cut -d, -f5-)" = "$(sed -n 3p "$TMP/two.csv" | cut -d, -f5-)" ] ||
    fail "one model under two labels measured differently: $(cat "$TMP/two.csv")"
else
  fail "evaluate with two models: $(cat "$TMP/stderr")"
fi

echo "evaluate: $failures failures"
[ $failures -eq 0 ]
