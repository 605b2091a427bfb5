#!/usr/bin/env bash
# The project's run command: install what is missing, build (release), and run
# the engine on the reference workload through `marketctl simulate`, in memory
# and then durably through the RocksDB journal in ./data.
# (The gRPC server `marketd` arrives with a later issue; this script will then
# start it instead.)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target marketctl
marketctl=build/release/tools/marketctl
echo "== 20,000 order-flow commands of the reference workload through the engine"
"$marketctl" gen --seed 1 --commands 20000 | "$marketctl" simulate > build/release/events.jsonl
echo "events: $(wc -l < build/release/events.jsonl) lines in build/release/events.jsonl"
echo "assignments: $(grep -c assignmentCreated build/release/events.jsonl || true)"
echo "== the same stream through the durable journal in ./data, then a replay check"
rm -rf ./data
"$marketctl" gen --seed 1 --commands 20000 | "$marketctl" simulate --data-dir ./data > /dev/null
"$marketctl" replay --data-dir ./data
echo "== a worked example (../shared/spec/examples/price_then_time):"
"$marketctl" simulate < codec/tests/golden/price_then_time.commands.jsonl | tail -5
