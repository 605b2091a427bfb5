#!/usr/bin/env bash
# gRPC load benchmark against a fresh marketd (docs/GRPC_BENCHMARKS.md):
# starts marketd on an empty data dir with --fsync always, probes the disk's
# sync latency, runs bench/grpc_load with the flags given, stops marketd.
# Usage: scripts/bench-grpc.sh [grpc_load flags...]
#   BUILD_DIR=build/h-cli-rel scripts/bench-grpc.sh   (an existing release build)
#   FSYNC=never scripts/bench-grpc.sh                 (not durable: for comparison only)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z ${BUILD_DIR:-} ]]; then
  BUILD_DIR=build/release
  cmake --preset release >/dev/null
  cmake --build --preset release -j 2 --target marketd grpc_load >/dev/null
fi
dir=$(mktemp -d /tmp/grpc-bench-XXXXXX)
"$BUILD_DIR/broker/server/marketd" --listen 127.0.0.1:0 --data-dir "$dir/data" --fsync "${FSYNC:-always}" \
  >"$dir/marketd.out" 2>"$dir/marketd.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 300); do
  grep -q '^marketd ready' "$dir/marketd.out" && break
  sleep 0.1
done
addr=$(sed -n 's/^marketd listening on //p' "$dir/marketd.out")
admin=$(sed -n 's/^created API key for admin: \([^ ]*\).*/\1/p' "$dir/marketd.out")
[[ -n $addr && -n $admin ]] || { cat "$dir/marketd.out" "$dir/marketd.err" >&2; exit 1; }
echo "marketd --fsync ${FSYNC:-always}; disk: $(dd if=/dev/zero of="$dir/sync-probe" bs=4k count=200 oflag=dsync 2>&1 | tail -1)"
rm -f "$dir/sync-probe"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
MARKET_ADMIN_KEY=$admin "$BUILD_DIR/bench/grpc_load" --server "$addr" \
  --keys "$dir/data/api-keys.txt" --server-pid "$pid" "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
