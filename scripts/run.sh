#!/usr/bin/env bash
# The project's run command: install what is missing, build (release), start
# marketd with its embedded defaults (RocksDB journal in ./data, an in-process
# Kafka mock cluster), load the demo market on the first start, and print how
# to connect. Ctrl-C stops marketd cleanly (it drains and syncs).
#
#   MARKET_DATA_DIR  data directory        (default ./data)
#   MARKET_LISTEN    gRPC listen address   (default 127.0.0.1:50051)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target marketd marketctl

data=${MARKET_DATA_DIR:-./data}
listen=${MARKET_LISTEN:-127.0.0.1:50051}
marketd=build/release/broker/server/marketd
marketctl=build/release/tools/marketctl
first_start=yes
[ -e "$data/CURRENT" ] && first_start=no

# marketd prints its keys (first start only), its address and the Kafka
# bootstrap address on stdout; relay everything and pick those lines up.
# The heap on 2 MB pages where the kernel allows it (docs/OPERATIONS.md,
# "Huge pages").
coproc MARKETD { GLIBC_TUNABLES=glibc.malloc.hugetlb=1 exec "$marketd" --listen "$listen" --data-dir "$data" 2>&1; }
marketd_pid=$MARKETD_PID
trap 'kill -TERM "$marketd_pid" 2>/dev/null || true' INT TERM
admin_key="" ops_key="" bootstrap="" address=""
while IFS= read -r line <&"${MARKETD[0]}"; do
  printf '%s\n' "$line"
  case "$line" in
    "created API key for admin: "*) admin_key=$(printf '%s' "$line" | awk '{print $6}') ;;
    "created API key for ops: "*) ops_key=$(printf '%s' "$line" | awk '{print $6}') ;;
    "marketd listening on "*) address=${line#marketd listening on } ;;
    "kafka bootstrap servers: "*) bootstrap=$(printf '%s' "$line" | awk '{print $4}') ;;
    "marketd ready"*) break ;;
  esac
done
cat <&"${MARKETD[0]}" &

if [ "$first_start" = yes ] && [ -n "$admin_key" ]; then
  echo "== loading the demo market (first start)"
  "$marketctl" seed-demo --server "$address" --key "$admin_key" --keys "$data/api-keys.txt"
fi

cat <<INFO

== marketd is serving gRPC on $address (plaintext; see marketd --help for TLS)
   proto files: proto/marketplace/v1/*.proto (server reflection is on)
   keys file:   $data/api-keys.txt   (new key: $marketctl keys add sponsor:<id> --keys $data/api-keys.txt)
${admin_key:+   admin key:   $admin_key   (shown once; only its hash is kept)}
${ops_key:+   ops key:     $ops_key}
   follow the market:  $marketctl events --server $address --key <ops key> --from 1
   Kafka (embedded):   kcat -b $bootstrap -t marketplace.events -C
   stop:               Ctrl-C
INFO
wait "$marketd_pid"
