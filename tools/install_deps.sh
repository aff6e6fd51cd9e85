#!/usr/bin/env bash
# Installs graphstyle's build and test dependencies from Debian 12 packages (needs root or sudo).
# Cheap to re-run: when dpkg already has every package, apt-get is not called at all.
#
# The package list lives on the apt-get line at the bottom, once: ../shared/tools/check-fresh-deps
# reads that line to prove a fresh machine gets everything the build uses, and the dpkg check
# below reads the same line, so the two can never disagree.
#   ocl-icd-opencl-dev: libdnnl-dev only recommends it, but oneDNN's CMake config requires OpenCL.
#   clang, libclang-rt-14-dev: libFuzzer and the sanitizers, for CI's sanitizer job (tools/fuzz.sh).
#   fonts-dejavu-core: the font of the labels on graphstyle evaluate --panel images.
#   libcpp-httplib-dev: graphstyle serve's HTTP server. chromium: the serve_page test drives the
#   explorer page in headless Chromium (over its DevTools protocol; nothing is built against it).
#   libopenmpi-dev, openmpi-bin: optional data-parallel training (`mpirun -np N graphstyle train`, train/distributed.h).
#   graphviz: `dot` renders the tour's autograd graphs (examples/tour/render_graphs.sh, ctest tour_render_graphs).
#   gnuplot-nox: the training curves of tools/plot_training.sh and tools/ablation.sh (ctest ablation_script).
#   libopencv-video-dev: the optical flow that smooths video frames (stylize --temporal, video/temporal_blend.h).
set -euo pipefail
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive

packages=$(sed -n '/^install_packages()/,/^}/p' "$0" | tr -d '\\' | tr ' ' '\n' | grep -E '^[a-z0-9][a-z0-9+.-]+$' | grep -vx -e install -e apt-get)

install_packages() {
  $SUDO apt-get install -y -qq --no-install-recommends \
    g++ cmake make pkg-config libeigen3-dev libdnnl-dev ocl-icd-opencl-dev libstb-dev doctest-dev libhdf5-dev python3 \
    libzip-dev zlib1g-dev libjpeg-dev libpng-dev clang libclang-rt-14-dev nlohmann-json3-dev libcpp-httplib-dev fonts-dejavu-core chromium graphviz \
    libopencv-video-dev gnuplot-nox \
    libopenmpi-dev openmpi-bin \
    >/dev/null
}

# shellcheck disable=SC2086
if dpkg -s $packages >/dev/null 2>&1; then
  exit 0
fi
echo "install_deps: installing $(echo $packages)" >&2
$SUDO apt-get update -qq
install_packages
