#!/usr/bin/env bash
# The README's gallery: small JPEGs in docs/ showing stylize's features, made from the shared images
# with the shipped model. usage: tools/make_gallery.sh [BUILD_DIR] [SHARED_DIR]   (a few minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
B="${1:-build}"
SH="${2:-../shared}"
GS="$B/graphstyle"
DEV="$B/graphstyle-dev"
C="$SH/images/content"
S="$SH/images/style"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$GS" convert --vgg "$SH/weights/vgg_normalised.pth" --trained models/trained/graphstyle_gnn.h5 -o "$T/model.h5" >/dev/null
ST=("$GS" stylize --model "$T/model.h5" --size 256)
A="$S/starry_night.jpg"
Z="$S/the_scream.jpg"
PHOTO="$C/chicago.jpg"

# blending: an interpolation strip, GNN (weights as an attention prior) and AdaIN (feature interpolation)
for method in gnn adain; do
  strip=()
  for w in 1,0 0.75,0.25 0.5,0.5 0.25,0.75 0,1; do
    o="$T/blend_${method}_$w.png"
    "${ST[@]}" --method "$method" --content "$PHOTO" --style "$A" --style "$Z" --style-weights "$w" --out "$o" >/dev/null
    strip+=("$o")
  done
  "$DEV" montage -o "docs/blend_$method.jpg" --cell 176 --quality 80 \
    --labels "1 / 0,0.75 / 0.25,0.5 / 0.5,0.25 / 0.75,0 / 1" "${strip[@]}" >/dev/null
done

# masks as graph edges: left/right halves, and a disc with the photo kept outside
python3 - "$T" <<'PY'
import struct, sys
def bmp(path, w, h, f):
    rows = b"".join(b"".join(bytes([f(x, y)] * 3) for x in range(w)) + b"\0" * ((4 - w * 3 % 4) % 4) for y in range(h - 1, -1, -1))
    head = b"BM" + struct.pack("<IHHI", 54 + len(rows), 0, 0, 54) + struct.pack("<IiiHHIIiiII", 40, w, h, 1, 24, 0, len(rows), 0, 0, 0, 0)
    open(path, "wb").write(head + rows)
bmp(sys.argv[1] + "/halves.bmp", 384, 256, lambda x, y: 0 if x < 192 else 255)
bmp(sys.argv[1] + "/disc.bmp", 384, 256, lambda x, y: 255 if (x - 192) ** 2 + (y - 110) ** 2 < 95 ** 2 else 0)
PY
"${ST[@]}" --content "$PHOTO" --style "$A" --out "$T/only_a.png" >/dev/null
"${ST[@]}" --content "$PHOTO" --style "$Z" --out "$T/only_z.png" >/dev/null
"${ST[@]}" --content "$PHOTO" --style "$A" --style "$Z" --mask "$T/halves.bmp" --out "$T/halves.png" >/dev/null
"${ST[@]}" --content "$PHOTO" --style none --style "$Z" --mask "$T/disc.bmp" --out "$T/disc.png" >/dev/null
"$DEV" montage -o docs/mask.jpg --cell 150 --quality 80 \
  --labels "starry night,the scream,mask (dark: 1st),halves,none | scream,disc" \
  "$T/only_a.png" "$T/only_z.png" "$T/halves.bmp" "$T/halves.png" "$T/disc.bmp" "$T/disc.png" >/dev/null

# colours: plain, --preserve-color, --luminance-only
"${ST[@]}" --content "$PHOTO" --style "$Z" --preserve-color --out "$T/preserve.png" >/dev/null
"${ST[@]}" --content "$PHOTO" --style "$Z" --luminance-only --out "$T/luminance.png" >/dev/null
"$DEV" montage -o docs/colour.jpg --cell 176 --quality 80 --labels "the scream,--preserve-color,--luminance-only" \
  "$T/only_z.png" "$T/preserve.png" "$T/luminance.png" >/dev/null

# video frames: a pan stylized frame by frame and with smoothing, and what changes between frames
"$DEV" pan --model "$T/model.h5" --content "$PHOTO" --style "$A" -o docs/pan.jpg >/dev/null
ls -l docs/blend_gnn.jpg docs/blend_adain.jpg docs/mask.jpg docs/colour.jpg docs/pan.jpg
