#!/usr/bin/env bash
# Long crash soak for manual runs: the CI crash test, many more iterations.
# Usage: scripts/crash-soak.sh [iterations]   (default 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$(nproc)" --target storage_crash_test
CRASH_TEST_ITERATIONS=${1:-2000} build/dev/storage/tests/storage_crash_test
