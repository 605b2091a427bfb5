#!/usr/bin/env bash
# Checks the deployment files offline: no network, no Docker daemon, no
# cluster. Each check runs when its tool is on the machine and says "skip"
# otherwise; the script fails only on a real finding.
#
#   deploy/check.sh
#
#  1. compose file: `docker compose config` (or docker-compose), then its
#     consistency with the Dockerfile (no flag given twice, one topic name)
#  2. every YAML file parses (python3 with PyYAML)
#  3. Kubernetes: `kubectl kustomize` (or kustomize) renders deploy/k8s, with
#     and without components/tls, and the rendered objects agree with each
#     other (names, ports, keys, probes, mounts)
#  4. marketd-health: clang-format clean, compiles against grpc++
#  5. shellcheck of deploy/*.sh; Dockerfile: hadolint; the runtime packages exist in bookworm's lists;
#     every library that marketd-health (step 4) and, once built, marketd and
#     marketctl (build/release) load comes from those packages or their
#     dependencies
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

failures=0
pass() { echo "ok    $*"; }
skip() { echo "skip  $*"; }
fail() {
  echo "FAIL  $*"
  failures=$((failures + 1))
}
have() { command -v "$1" >/dev/null 2>&1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# A python3 that has PyYAML (pyenv's and Debian's may differ).
python=""
for candidate in python3 /usr/bin/python3; do
  if have "$candidate" && "$candidate" -c 'import yaml' >/dev/null 2>&1; then
    python=$candidate
    break
  fi
done

# --- 1. compose -------------------------------------------------------------
compose=()
if have docker && docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif have docker-compose; then
  compose=(docker-compose)
fi
if [[ ${#compose[@]} -gt 0 ]]; then
  for format in protobuf json; do
    if MARKETD_KAFKA_FORMAT=$format "${compose[@]}" -f deploy/docker-compose.yml config \
      >"$scratch/compose-$format.yml" 2>"$scratch/compose.err"; then
      pass "${compose[*]} config (MARKETD_KAFKA_FORMAT=$format)"
    else
      fail "${compose[*]} config: $(cat "$scratch/compose.err")"
    fi
  done
else
  skip "compose config: neither 'docker compose' nor docker-compose here"
fi

if [[ -n "$python" ]]; then
  if out=$("$python" - <<'EOF' 2>&1
import json, re, sys, yaml

compose = yaml.safe_load(open("deploy/docker-compose.yml"))
dockerfile = open("deploy/Dockerfile").read()
m = re.search(r"^ENTRYPOINT\s+(\[.*?\])\s*$", dockerfile.replace("\\\n", " "), re.M | re.S)
if not m:
    sys.exit("no exec-form ENTRYPOINT in deploy/Dockerfile")
entrypoint = json.loads(m.group(1))
flags = lambda args: [a.split("=", 1)[0] for a in args if a.startswith("--")]
command = compose["services"]["marketd"]["command"]
twice = set(flags(entrypoint)) & set(flags(command))
if twice:
    sys.exit(f"marketd flags both in the ENTRYPOINT and in compose: {sorted(twice)}")
topic = command[command.index("--kafka-topic") + 1]
init = compose["services"]["kafka-init"]["command"]
kcat = compose["services"]["kcat"]["command"]
if init[init.index("--topic") + 1] != topic or kcat[kcat.index("-t") + 1] != topic:
    sys.exit("the topic differs between marketd, kafka-init and kcat")
if command[command.index("--kafka-brokers") + 1] != "kafka:9092":
    sys.exit("marketd does not use the compose Kafka (kafka:9092)")
print(f"entrypoint {entrypoint[1:]} + compose flags, topic {topic}")
EOF
  ); then
    pass "compose agrees with the Dockerfile: $out"
  else
    fail "compose vs Dockerfile: $out"
  fi
else
  skip "compose vs Dockerfile: no python3 with PyYAML"
fi

# --- 2. YAML syntax ---------------------------------------------------------
mapfile -t yaml_files < <(find deploy -name '*.yml' -o -name '*.yaml' | sort)
if [[ -n "$python" ]]; then
  if out=$("$python" - "${yaml_files[@]}" <<'EOF' 2>&1
import sys, yaml
for path in sys.argv[1:]:
    docs = [d for d in yaml.safe_load_all(open(path)) if d is not None]
    if not docs:
        sys.exit(f"{path}: no document")
print(f"{len(sys.argv) - 1} files")
EOF
  ); then
    pass "YAML parses: $out"
  else
    fail "YAML: $out"
  fi
else
  skip "YAML syntax: no python3 with PyYAML"
fi

# --- 3. Kubernetes ----------------------------------------------------------
render=()
if have kubectl; then
  render=(kubectl kustomize)
elif have kustomize; then
  render=(kustomize build)
fi
if [[ ${#render[@]} -gt 0 ]]; then
  cp -r deploy/k8s "$scratch/k8s-tls"
  sed -i 's|^# components:|components:|; s|^#   - components/tls|  - components/tls|' \
    "$scratch/k8s-tls/kustomization.yaml"
  for variant in plain tls; do
    dir=deploy/k8s
    [[ $variant == tls ]] && dir=$scratch/k8s-tls
    if ! "${render[@]}" "$dir" >"$scratch/k8s-$variant.yaml" 2>"$scratch/k8s.err"; then
      fail "${render[*]} ($variant): $(cat "$scratch/k8s.err")"
      continue
    fi
    pass "${render[*]} renders deploy/k8s ($variant)"
    if [[ -z "$python" ]]; then
      skip "k8s consistency ($variant): no python3 with PyYAML"
      continue
    fi
    if out=$("$python" - "$scratch/k8s-$variant.yaml" "$variant" <<'EOF' 2>&1
import re, sys, yaml

objects = [o for o in yaml.safe_load_all(open(sys.argv[1])) if o]
variant = sys.argv[2]
problems = []
def check(ok, what):
    if not ok:
        problems.append(what)

by_kind = {}
for o in objects:
    by_kind.setdefault(o["kind"], []).append(o)
sets = by_kind.get("StatefulSet", [])
check(len(sets) == 1, "exactly one StatefulSet")
sts = sets[0]
spec = sts["spec"]
check(spec["replicas"] == 1, "replicas must be 1 (single sequencer)")
pod = spec["template"]["spec"]
labels = spec["template"]["metadata"]["labels"]
check(all(labels.get(k) == v for k, v in spec["selector"]["matchLabels"].items()),
      "selector matches the pod labels")
services = {s["metadata"]["name"]: s for s in by_kind.get("Service", [])}
check(spec["serviceName"] in services and
      services[spec["serviceName"]]["spec"].get("clusterIP") == "None",
      "serviceName names a headless Service")
check(len(pod["containers"]) == 1, "one container")
c = pod["containers"][0]
port_names = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
for name, s in services.items():
    check(all(labels.get(k) == v for k, v in s["spec"]["selector"].items()),
          f"Service {name} selects the pod")
    for p in s["spec"]["ports"]:
        check(p["targetPort"] in port_names or p["targetPort"] in port_names.values(),
              f"Service {name} targetPort {p['targetPort']} is a container port")

configmaps = {m["metadata"]["name"]: m.get("data", {}) for m in by_kind.get("ConfigMap", [])}
env = {e["name"]: e for e in c.get("env", [])}
for e in env.values():
    ref = e.get("valueFrom", {}).get("configMapKeyRef")
    if ref:
        check(ref["key"] in configmaps.get(ref["name"], {}),
              f"env {e['name']}: ConfigMap {ref['name']} has key {ref['key']}")
for a in c.get("args", []):
    for var in re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", a):
        check(var in env, f"arg {a}: {var} is in env")
flags = [a.split("=", 1)[0] for a in c["args"]]
check(len(flags) == len(set(flags)), f"no flag twice: {flags}")
args = dict(a.split("=", 1) for a in c["args"] if "=" in a)
check(args.get("--listen", "").endswith(":50051"), "--listen on 50051")
check(port_names.get("grpc") == 50051, "container port grpc is 50051")

mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts", [])}
volumes = {v["name"]: v for v in pod.get("volumes", [])}
claims = {t["metadata"]["name"] for t in spec.get("volumeClaimTemplates", [])}
for path, name in mounts.items():
    check(name in volumes or name in claims, f"mount {path}: volume {name} exists")
def mounted(file_path, volume_kind=None):
    for path, name in mounts.items():
        if file_path.startswith(path.rstrip("/") + "/"):
            return volume_kind is None or volume_kind in volumes.get(name, {})
    return False
check(mounted(args.get("--data-dir", "")) and
      any(n in claims for p, n in mounts.items() if args["--data-dir"].startswith(p)),
      "--data-dir is on the volume claim")
check(mounted(args.get("--keys", ""), "secret"), "--keys is in a mounted Secret")
for flag in ("--tls-cert", "--tls-key", "--tls-client-ca"):
    if flag in args:
        check(mounted(args[flag], "secret"), f"{flag} is in a mounted Secret")
check(("--tls-cert" in args) == (variant == "tls"), "TLS flags only with components/tls")

for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
    p = c.get(probe)
    check(p is not None, f"{probe} present")
    if not p:
        continue
    handlers = [h for h in ("grpc", "exec", "httpGet", "tcpSocket") if h in p]
    check(len(handlers) == 1, f"{probe} has one handler: {handlers}")
    if variant == "plain":
        check(p.get("grpc", {}).get("port") == 50051, f"{probe} is a gRPC probe on 50051")
    else:
        cmd = p.get("exec", {}).get("command", [])
        check(cmd[:1] == ["marketd-health"] and "--tls-ca" in cmd and
              mounted(cmd[cmd.index("--tls-ca") + 1], "secret"),
              f"{probe} runs marketd-health with a mounted CA")

sc = pod.get("securityContext", {})
check(sc.get("runAsNonRoot") is True and sc.get("fsGroup") is not None, "non-root with fsGroup")
check(c["resources"]["requests"]["cpu"] in ("2", 2, "2000m"), "requests 2 CPU")
check(pod.get("terminationGracePeriodSeconds", 30) >= 30, "a grace period for the drain")
for o in objects:
    check("namespace" not in o["metadata"], f"{o['kind']} {o['metadata']['name']}: no namespace")
if problems:
    sys.exit("; ".join(problems))
print(f"{len(objects)} objects")
EOF
    ); then
      pass "k8s objects agree ($variant): $out"
    else
      fail "k8s consistency ($variant): $out"
    fi
  done
else
  skip "kustomize render: neither kubectl nor kustomize here"
fi

# --- 4. marketd-health ------------------------------------------------------
if have clang-format; then
  if clang-format --dry-run --Werror deploy/health/marketd_health.cc 2>"$scratch/fmt.err"; then
    pass "clang-format deploy/health/marketd_health.cc"
  else
    fail "clang-format: $(head -n 5 "$scratch/fmt.err")"
  fi
else
  skip "clang-format: not installed"
fi
if have g++ && have pkg-config && pkg-config --exists grpc++; then
  # shellcheck disable=SC2046 # pkg-config output is meant to split
  if g++ -std=c++20 -O0 -Wall -Wextra -Werror -o "$scratch/marketd-health" \
    deploy/health/marketd_health.cc $(pkg-config --cflags --libs grpc++) 2>"$scratch/cc.err" &&
    "$scratch/marketd-health" --help >/dev/null; then
    pass "marketd-health compiles (g++, grpc++ $(pkg-config --modversion grpc++))"
  else
    fail "marketd-health: $(head -n 20 "$scratch/cc.err")"
  fi
else
  skip "marketd-health compile: no g++ or grpc++ development files"
fi

# --- 5. Dockerfile ----------------------------------------------------------
if have shellcheck; then
  if out=$(shellcheck deploy/*.sh 2>&1); then
    pass "shellcheck deploy/*.sh"
  else
    fail "shellcheck: $out"
  fi
else
  skip "shellcheck: not installed"
fi
if have hadolint; then
  if out=$(hadolint deploy/Dockerfile 2>&1); then
    pass "hadolint deploy/Dockerfile"
  else
    fail "hadolint: $out"
  fi
else
  skip "hadolint: not installed (not packaged in Debian)"
fi

# The runtime stage's package list: the indented lib*/ca-certificates lines.
mapfile -t runtime_packages < <(sed -n '/^FROM .* AS runtime/,/^COPY/p' deploy/Dockerfile |
  grep -E '^\s+(lib[a-z0-9.+-]+|ca-certificates)\s*;?\s*\\?\s*$' | tr -d ' \\;')
if [[ ${#runtime_packages[@]} -eq 0 ]]; then
  fail "no runtime package list found in deploy/Dockerfile"
elif ! have apt-cache || ! apt-cache policy libc6 2>/dev/null | grep -v '(none)' | grep -q Candidate; then
  skip "runtime packages: no apt lists here (apt-get update once to enable)"
else
  missing=()
  for p in "${runtime_packages[@]}"; do
    apt-cache show "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    pass "runtime packages exist: ${runtime_packages[*]}"
  else
    fail "runtime packages not in the apt lists: ${missing[*]}"
  fi
  mapfile -t binaries < <(find build/release -maxdepth 4 -type f \( -name marketd -o -name marketctl \) \
    -perm -u+x 2>/dev/null)
  [[ -x "$scratch/marketd-health" ]] && binaries+=("$scratch/marketd-health")
  if [[ ${#binaries[@]} -gt 0 ]] && have ldd && have dpkg; then
    apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
      --no-replaces --no-enhances "${runtime_packages[@]}" 2>/dev/null |
      grep -v '^ ' | sed 's/:.*//' | sort -u >"$scratch/closure"
    # Essential packages of every Debian image (libc6, libgcc-s1, libstdc++6 ...).
    dpkg-query -W -f='${Package} ${Essential} ${Priority}\n' 2>/dev/null |
      awk '$2 == "yes" || $3 == "required" {print $1}' >>"$scratch/closure"
    unexplained=()
    while read -r lib; do
      owner=$(dpkg -S "$lib" 2>/dev/null | head -n 1 | cut -d: -f1)
      if [[ -z "$owner" ]]; then
        owner=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null | head -n 1 | cut -d: -f1)
      fi
      if [[ -z "$owner" ]]; then
        unexplained+=("$lib(no package)")
      elif ! grep -qx "$owner" "$scratch/closure"; then
        unexplained+=("$owner")
      fi
    done < <(ldd "${binaries[@]}" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u)
    if [[ ${#unexplained[@]} -eq 0 ]]; then
      pass "every library of ${binaries[*]##*/} is in the runtime packages' closure"
    else
      fail "libraries from packages outside the runtime list's closure:" \
        "$(printf '%s\n' "${unexplained[@]}" | sort -u | tr '\n' ' ')"
    fi
  else
    skip "runtime libraries: no binary to inspect (or no ldd/dpkg)"
  fi
fi

if [[ $failures -gt 0 ]]; then
  echo "check: $failures failed"
  exit 1
fi
echo "check: all run checks passed"
