#!/usr/bin/env bash
# Interleaved comparison of two engine_bench binaries on the reference
# workload. On the project VM absolute figures move by up to 1.6x from
# minute to minute (docs/BENCHMARKS.md), so a change is judged by running
# the old and the new binary one after the other, round by round, and
# reading the per-round ratios rather than two separate runs.
#
# Usage: scripts/bench-engine-compare.sh OLD_BENCH NEW_BENCH [rounds] [engine_bench flags...]
# An old binary, for example:
#   git worktree add /tmp/old REV && (cd /tmp/old && cmake --preset release >/dev/null &&
#     cmake --build --preset release --target engine_bench) && OLD=/tmp/old/build/release/bench/engine_bench
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: $0 OLD_BENCH NEW_BENCH [rounds] [flags...]}
new=${2:?usage: $0 OLD_BENCH NEW_BENCH [rounds] [flags...]}
rounds=${3:-3}
shift $(($# < 3 ? $# : 3))
workload=build/release/workload-1-400000.jsonl
if [[ ! -f $workload ]]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target marketctl >/dev/null
  build/release/tools/marketctl gen --seed 1 --commands 400000 >"$workload"
fi

# One run: "throughput p50 p99" (commands/s, ns, ns).
run() {
  "$1" --workload-file "$workload" "${@:2}" |
    awk '/^throughput/ {t = $2} /^latency/ {p50 = $4; p99 = $6} END {print t, p50, p99}'
}

printf '%-6s %12s %8s %8s %12s %8s %8s %7s %7s\n' round old_cmd/s p50_ns p99_ns \
  new_cmd/s p50_ns p99_ns thr_x p99_x
ratios=()
for ((r = 1; r <= rounds; ++r)); do
  read -r ot o50 o99 < <(run "$old" "$@")
  read -r nt n50 n99 < <(run "$new" "$@")
  tx=$(awk -v a="$nt" -v b="$ot" 'BEGIN {printf "%.2f", a / b}')
  px=$(awk -v a="$n99" -v b="$o99" 'BEGIN {printf "%.2f", a / b}')
  ratios+=("$tx")
  printf '%-6s %12s %8s %8s %12s %8s %8s %7s %7s\n' "$r" "$ot" "$o50" "$o99" "$nt" "$n50" "$n99" \
    "$tx" "$px"
done
printf '%s\n' "${ratios[@]}" | sort -n |
  awk '{v[NR] = $1} END {printf "median throughput ratio new/old: %s\n", v[int((NR + 1) / 2)]}'
