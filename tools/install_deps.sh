#!/usr/bin/env bash
# Installs graphstyle's build and test dependencies from Debian 12 packages (needs root or sudo).
set -euo pipefail
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  g++ cmake make pkg-config libeigen3-dev libdnnl-dev libstb-dev doctest-dev libhdf5-dev >/dev/null
