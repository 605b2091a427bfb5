#!/usr/bin/env bash
# Interleaved comparison of two engine_bench binaries on the reference
# workload. On the project VM absolute figures move by up to 1.6x from
# minute to minute (docs/BENCHMARKS.md), so a change is judged by running
# the old and the new binary one after the other, round by round, and
# reading the per-round ratios rather than two separate runs.
#
# By default the two run at the same time in lock-step (engine_bench
# --lockstep-dir): one per core, taking turns a slice of 1,024 commands at a
# time and timing only their own slices, so a busy minute slows both alike;
# the two sides swap cores every round. MODE=sequential runs them one after
# the other instead (each round: old, then new).
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

# Both sides on 2 MB pages, as scripts/bench-engine.sh measures
# (BENCH_TUNABLES= for 4 KB pages). scripts/bench-engine.sh also passes
# --reserve-heap-mb 512; pass it here as a flag when both binaries know it.
export GLIBC_TUNABLES=${BENCH_TUNABLES-glibc.malloc.hugetlb=1}

# One run: "throughput p50 p99" (commands/s, ns, ns).
run() {
  "$@" --workload-file "$workload" |
    awk '/^throughput/ {t = $2} /^latency/ {p50 = $4; p99 = $6} END {print t, p50, p99}'
}

printf '%-6s %12s %8s %8s %12s %8s %8s %7s %7s\n' round old_cmd/s p50_ns p99_ns \
  new_cmd/s p50_ns p99_ns thr_x p99_x
ratios=()
mode=${MODE:-lockstep}
fifos=$(mktemp -d)
trap 'rm -rf "$fifos"' EXIT
mkfifo "$fifos/a2b" "$fifos/b2a"
for ((r = 1; r <= rounds; ++r)); do
  if [[ $mode == sequential ]]; then
    read -r ot o50 o99 < <(run "$old" "$@")
    read -r nt n50 n99 < <(run "$new" "$@")
  else
    # Old takes the first turn on core (r % 2), new the other core.
    run taskset -c $((r % 2)) "$old" --lockstep-dir "$fifos" --lockstep-first "$@" >"$fifos/old" &
    run taskset -c $(((r + 1) % 2)) "$new" --lockstep-dir "$fifos" "$@" >"$fifos/new"
    wait
    read -r ot o50 o99 <"$fifos/old"
    read -r nt n50 n99 <"$fifos/new"
  fi
  tx=$(awk -v a="$nt" -v b="$ot" 'BEGIN {printf "%.2f", a / b}')
  px=$(awk -v a="$n99" -v b="$o99" 'BEGIN {printf "%.2f", a / b}')
  ratios+=("$tx")
  printf '%-6s %12s %8s %8s %12s %8s %8s %7s %7s\n' "$r" "$ot" "$o50" "$o99" "$nt" "$n50" "$n99" \
    "$tx" "$px"
done
printf '%s\n' "${ratios[@]}" | sort -n |
  awk '{v[NR] = $1} END {printf "median throughput ratio new/old: %s\n", v[int((NR + 1) / 2)]}'
