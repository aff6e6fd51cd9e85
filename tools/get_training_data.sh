#!/usr/bin/env bash
# Gathers the photographs and paintings listed in tools/training_data.tsv into DIR:
#   DIR/train/content, DIR/train/style       what `graphstyle train` trains on
#   DIR/heldout/content, DIR/heldout/style   never trained on: `graphstyle evaluate` measures on these
#   DIR/manifest.tsv                         the list it was made from, with each image's licence
# Sources: ../shared/images (or $GRAPHSTYLE_SHARED/images) and Debian wallpaper packages, which are
# downloaded with `apt-get download` and unpacked into DIR/.debs, never installed. Every image is stored
# as a JPEG with its shorter side at most 768 px (enough for the multi-scale crops of training; decoding a
# 5120 x 2880 wallpaper at every step would cost more than the step's own convolutions).
# Needs ImageMagick (`convert`); installs it with apt-get when missing. Re-running skips what is there.
#
#   bash tools/get_training_data.sh DIR
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:?usage: tools/get_training_data.sh DIR}
SHARED=${GRAPHSTYLE_SHARED:-$ROOT/../shared}
MANIFEST=$ROOT/tools/training_data.tsv
MAX_SIDE=768
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

if ! dpkg -s imagemagick >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends imagemagick >/dev/null
fi

mkdir -p "$DIR/.debs"
DIR=$(cd "$DIR" && pwd)
# The packages the manifest names, each downloaded and unpacked once.
for pkg in $(grep -v '^#' "$MANIFEST" | awk -F'\t' 'NR > 1 && $3 ~ /^deb:/ {sub("deb:", "", $3); print $3}' | sort -u); do
  if [ ! -d "$DIR/.debs/$pkg" ]; then
    (cd "$DIR/.debs" && apt-get download "$pkg" >/dev/null 2>&1) ||
      { $SUDO apt-get update -qq && (cd "$DIR/.debs" && apt-get download "$pkg" >/dev/null); }
    dpkg-deb -x "$DIR/.debs/${pkg}"_*.deb "$DIR/.debs/$pkg.tmp" && mv "$DIR/.debs/$pkg.tmp" "$DIR/.debs/$pkg"
    rm -f "$DIR/.debs/${pkg}"_*.deb
  fi
done

count=0
while IFS=$'\t' read -r split kind source path licence; do
  case "$split" in "#"*|split|"") continue ;; esac
  case "$source" in
    shared) src="$SHARED/$path" ;;
    deb:*) src="$DIR/.debs/${source#deb:}/$path" ;;
    *) echo "get_training_data: $MANIFEST: unknown source '$source'" >&2; exit 1 ;;
  esac
  [ -f "$src" ] || { echo "get_training_data: $src (listed in $MANIFEST) not found" >&2; exit 1; }
  # Names stay unique across sources: the plasma wallpapers are all called 2560x1600.jpg.
  name=$(basename "$path"); name=${name%.*}
  case "$source" in deb:plasma-workspace-wallpapers) name=$(echo "$path" | cut -d/ -f4) ;; esac
  out="$DIR/$split/$kind/$name.jpg"
  mkdir -p "$(dirname "$out")"
  if [ ! -f "$out" ]; then
    nice convert -quiet "$src" -auto-orient -colorspace sRGB -type TrueColor -resize "${MAX_SIDE}x${MAX_SIDE}^>" \
      -strip -quality 92 "$out.tmp.jpg"
    mv "$out.tmp.jpg" "$out"
  fi
  count=$((count + 1))
done < "$MANIFEST"
cp "$MANIFEST" "$DIR/manifest.tsv"
for s in train heldout; do
  echo "$DIR/$s: $(ls "$DIR/$s/content" | wc -l) photographs, $(ls "$DIR/$s/style" | wc -l) paintings"
done
