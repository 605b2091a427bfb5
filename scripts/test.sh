#!/usr/bin/env bash
# The project's test command: install what is missing, check formatting and
# the deployment files, configure, build and run every test; then the same under AddressSanitizer +
# UndefinedBehaviorSanitizer.
# Usage: scripts/test.sh            (dev, then asan: what CI runs)
#        scripts/test.sh PRESET     (only dev, release or asan)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/check-format.sh
deploy/check.sh  # the compose file and manifests (offline; skips what is not installed)

run_preset() {
  local preset=$1
  shift
  echo "== preset $preset"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$(nproc)"
  ctest --preset "$preset" "$@"
}

if [[ $# -gt 0 ]]; then
  run_preset "$1"
else
  run_preset dev
  # The long reference-model streams take minutes under the sanitizers and
  # exercise the same code as the 23 shorter differential streams.
  run_preset asan -E 'DifferentialLongTest.LongStreamsAgree'
fi
