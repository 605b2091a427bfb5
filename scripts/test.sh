#!/usr/bin/env bash
# The project's test command: install what is missing, configure, build, run every test.
# Usage: scripts/test.sh [preset]   (default preset: dev; also release, asan)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-dev}
scripts/install-deps.sh
scripts/check-format.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
ctest --preset "$preset"
