# The prologue of the command-line tests that run on make_test_inputs' files (sourced):
#   usage: source common.sh GRAPHSTYLE MAKE_TEST_INPUTS
# Sets GS, MAKE, W (a scratch folder removed on exit), I (the generated inputs in W/in) and
# failures=0; fail MESSAGE prints it and counts it.
set -uo pipefail
GS="$1"
MAKE="$2"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
"$MAKE" bad "$W/in" >/dev/null || { echo "FAIL: make_test_inputs bad"; exit 1; }
I="$W/in"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
