#!/usr/bin/env bash
# Regenerates codec/tests/golden/*.events.jsonl from `marketctl simulate`.
# Review the diff before committing: the golden files are the specification.
set -euo pipefail
cd "$(dirname "$0")/.."
marketctl=${MARKETCTL:-build/dev/tools/marketctl}
for input in codec/tests/golden/*.commands.jsonl; do
  "$marketctl" simulate < "$input" > "${input%.commands.jsonl}.events.jsonl"
done
git diff --stat -- codec/tests/golden
