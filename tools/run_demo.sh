#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: install the packages (only when one is missing), build,
# make the model file from the released VGG encoder and the trained graph and decoder weights the
# project ships (models/trained/graphstyle_gnn.h5), and stylize a photograph with a painting using the
# settings recommended in that file.
#   WEIGHTS  folder with vgg_normalised.pth and decoder.pth (default ../shared/weights)
#   IMAGES   folder with content/ and style/ (default ../shared/images)
#   OUT      output image (default out/chicago_starry_night.png)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WEIGHTS=${WEIGHTS:-$ROOT/../shared/weights}
IMAGES=${IMAGES:-$ROOT/../shared/images}
OUT=${OUT:-out/chicago_starry_night.png}

bash tools/install_deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"

if [ ! -f "$WEIGHTS/vgg_normalised.pth" ] || [ ! -f "$WEIGHTS/decoder.pth" ]; then
  cat >&2 <<MSG
graphstyle: no weights in $WEIGHTS. On a machine with internet, get the released pytorch-AdaIN files:
  mkdir -p weights
  curl -L -o weights/vgg_normalised.pth https://github.com/naoto0804/pytorch-AdaIN/releases/download/v0.0.0/vgg_normalised.pth
  curl -L -o weights/decoder.pth https://github.com/naoto0804/pytorch-AdaIN/releases/download/v0.0.0/decoder.pth
then run: WEIGHTS=weights bash tools/run_demo.sh
MSG
  exit 1
fi
mkdir -p models_out "$(dirname "$OUT")"
TRAINED=models/trained/graphstyle_gnn.h5
if [ -f "$TRAINED" ]; then
  # Rebuilt whenever the shipped weights are newer than the model file made from them.
  [ models_out/graphstyle.h5 -nt "$TRAINED" ] ||
    ./build/graphstyle convert --vgg "$WEIGHTS/vgg_normalised.pth" --trained "$TRAINED" -o models_out/graphstyle.h5
else
  [ -f models_out/graphstyle.h5 ] ||
    ./build/graphstyle convert --vgg "$WEIGHTS/vgg_normalised.pth" --decoder "$WEIGHTS/decoder.pth" -o models_out/graphstyle.h5
fi
./build/graphstyle stylize --model models_out/graphstyle.h5 --content "$IMAGES/content/chicago.jpg" \
  --style "$IMAGES/style/starry_night.jpg" --size 512 --out "$OUT" "$@"
