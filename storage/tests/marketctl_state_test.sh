#!/usr/bin/env bash
# marketctl over a data dir: simulate writes journal and state, replay finds
# every event and the stored state identical to a replay, rebuild rewrites
# the state (and it still matches), and a restarted simulate goes on from the
# loaded state. Usage: marketctl_state_test.sh <marketctl> <commands.jsonl>...
set -euo pipefail
marketctl=$1
shift
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat "$@" | grep -v '^[[:space:]]*$' > "$dir/commands.jsonl"  # blank lines take no sequence
half=$(( $(wc -l < "$dir/commands.jsonl") / 2 ))
head -n "$half" "$dir/commands.jsonl" > "$dir/first.jsonl"
tail -n +"$((half + 1))" "$dir/commands.jsonl" > "$dir/second.jsonl"

expect() {  # expect <pattern> <output>
  if ! grep -q -- "$1" <<<"$2"; then
    echo "expected '$1' in: $2" >&2
    exit 1
  fi
}

"$marketctl" simulate --data-dir "$dir/data" --group 3 < "$dir/first.jsonl" > "$dir/events1.jsonl"
out=$("$marketctl" replay --data-dir "$dir/data")
expect "every event identical" "$out"
expect "(stored state at sequence $half)" "$out"

out=$("$marketctl" rebuild --data-dir "$dir/data")
expect "state at sequence $half" "$out"
expect "loads back identical" "$out"

# A restart loads the state and continues; the events equal one uninterrupted run.
"$marketctl" simulate --data-dir "$dir/data" --group 5 < "$dir/second.jsonl" > "$dir/events2.jsonl"
"$marketctl" simulate < "$dir/commands.jsonl" > "$dir/expected.jsonl"
cat "$dir/events1.jsonl" "$dir/events2.jsonl" | diff -u "$dir/expected.jsonl" -
out=$("$marketctl" replay --data-dir "$dir/data")
expect "every event identical" "$out"
echo "$out"

# rebuild and replay refuse a directory that holds no journal.
if "$marketctl" rebuild --data-dir "$dir/none" 2>/dev/null; then
  echo "rebuild of a missing data dir succeeded" >&2
  exit 1
fi
