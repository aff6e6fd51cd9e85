#!/usr/bin/env bash
# Installs graphstyle into a temporary prefix, builds the examples against it (once with CMake's
# find_package, once with pkg-config) and runs them, plus the Python ctypes example.
#   test_install.sh BUILD_DIR SOURCE_DIR SHARED_DIR
set -euo pipefail
BUILD=$1 SRC=$2 SHARED=$3
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PREFIX=$TMP/prefix

cmake --install "$BUILD" --prefix "$PREFIX" >/dev/null
for f in include/graphstyle/graphstyle.hpp include/graphstyle/graphstyle.h; do
  [[ -f $PREFIX/$f ]] || { echo "FAIL: $f not installed"; exit 1; }
done
CONFIG=$(find "$PREFIX" -name graphstyleConfig.cmake)
PC=$(find "$PREFIX" -name graphstyle.pc)
LIBSO=$(find "$PREFIX" -name 'libgraphstyle.so' | head -1)
[[ -n $CONFIG && -n $PC && -n $LIBSO ]] || { echo "FAIL: config, .pc or shared library missing"; exit 1; }
[[ -n $(find "$PREFIX" -name libgraphstyle.a) ]] || { echo "FAIL: static library missing"; exit 1; }
# The build's own flags stay private: nothing of -march or -W reaches a user.
if grep -rE -- '-march|-Wall' "$(dirname "$CONFIG")" "$PC"; then echo "FAIL: build flags exported"; exit 1; fi

# 1. CMake: find_package(graphstyle) + target_link_libraries(... graphstyle::graphstyle).
cmake -S "$SRC/examples" -B "$TMP/cmake" -DCMAKE_PREFIX_PATH="$PREFIX" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$TMP/cmake" -j2 >/dev/null
# 2. pkg-config, shared library (rpath so the program finds it in the prefix).
export PKG_CONFIG_PATH=$(dirname "$PC")
LIBDIR=$(pkg-config --variable=libdir graphstyle)
c++ -std=c++17 "$SRC/examples/stylize.cpp" $(pkg-config --cflags --libs graphstyle) -Wl,-rpath,"$LIBDIR" -o "$TMP/pc_cpp"
cc "$SRC/examples/stylize.c" $(pkg-config --cflags --libs graphstyle) -Wl,-rpath,"$LIBDIR" -o "$TMP/pc_c"
# 3. pkg-config --static: the archive and its private dependencies.
c++ -std=c++17 "$SRC/examples/stylize.cpp" $(pkg-config --cflags graphstyle) "$LIBDIR/libgraphstyle.a" \
  $(pkg-config --static --libs-only-L --libs-only-other graphstyle) \
  $(pkg-config --static --libs-only-l graphstyle | sed 's/-lgraphstyle//') -o "$TMP/pc_cpp_static"
if ldd "$TMP/pc_cpp_static" | grep -q libgraphstyle; then echo "FAIL: the static build uses the shared library"; exit 1; fi
echo "built: cmake (shared, static), pkg-config (C++, C, static C++)"

W=$SHARED/weights
C=$SHARED/fixtures/e2e/inputs/chicago_256.png
S=$SHARED/fixtures/e2e/inputs/starry_night_256.png
if [[ ! -f $W/vgg_normalised.pth || ! -f $W/decoder.pth || ! -f $C || ! -f $S ]]; then
  echo "SKIPPED: running the examples needs $W and $SHARED/fixtures/e2e/inputs"
  exit 0
fi
"$PREFIX/bin/graphstyle" convert --vgg "$W/vgg_normalised.pth" --decoder "$W/decoder.pth" -o "$TMP/model.h5" >/dev/null
# A small content image keeps the runs short.
"$PREFIX/bin/graphstyle" stylize --model "$TMP/model.h5" --content "$C" --style "$S" --size 128 --method adain \
  --alpha 0 --out "$TMP/content.png" >/dev/null
run() {  # name command...
  local name=$1; shift
  "$@" "$TMP/model.h5" "$TMP/content.png" "$S" "$TMP/$name.png"
  [[ -s $TMP/$name.png ]] || { echo "FAIL: $name wrote no image"; exit 1; }
}
run cmake_cpp "$TMP/cmake/stylize_cpp"
run cmake_c "$TMP/cmake/stylize_c"
run cmake_static "$TMP/cmake/stylize_cpp_static"
run pc_cpp "$TMP/pc_cpp"
run pc_c "$TMP/pc_c"
run pc_static "$TMP/pc_cpp_static"
run python python3 "$SRC/examples/stylize.py" "$LIBSO"
# Every route computes the same picture.
for name in cmake_c cmake_static pc_cpp pc_c pc_static python; do
  cmp -s "$TMP/cmake_cpp.png" "$TMP/$name.png" || { echo "FAIL: $name differs from cmake_cpp"; exit 1; }
done
# Errors come back as messages, not crashes.
if out=$("$TMP/pc_c" "$TMP/missing.h5" "$TMP/content.png" "$S" "$TMP/x.png" 2>&1); then
  echo "FAIL: a missing model was accepted"; exit 1
fi
[[ $out == *"missing.h5: no such file"* ]] || { echo "FAIL: unexpected message: $out"; exit 1; }
echo "ran: 7 examples, identical outputs; errors reported"
