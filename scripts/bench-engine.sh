#!/usr/bin/env bash
# Engine benchmark on the reference workload (docs/BENCHMARKS.md).
# Usage: scripts/bench-engine.sh [seed] [order-flow commands]
set -euo pipefail
cd "$(dirname "$0")/.."
seed=${1:-1}
commands=${2:-400000}
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target engine_bench marketctl >/dev/null
workload=build/release/workload-${seed}-${commands}.jsonl
[[ -f $workload ]] || build/release/tools/marketctl gen --seed "$seed" --commands "$commands" > "$workload"
# The heap on 2 MB pages where the kernel allows it (transparent huge pages
# in "madvise" or "always" mode), as marketd runs in deploy/ and
# scripts/run.sh: the engine's random reads then miss the TLB far less
# (docs/BENCHMARKS.md). BENCH_TUNABLES= (empty) measures without.
# And 512 MB of heap faulted in first, as the StatefulSet's marketd does
# (--reserve-heap-mb; docs/OPERATIONS.md, "Heap reserve"): no run then
# pays the kernel's clearing of fresh pages while it is timed.
GLIBC_TUNABLES=${BENCH_TUNABLES-glibc.malloc.hugetlb=1} \
  build/release/bench/engine_bench --workload-file "$workload" --warmup-resting 100000 \
    --reserve-heap-mb 512
