#!/bin/sh
# Runs the whole performance comparison of issues 7 and 9 (the Java kit over MessagePack and over
# ProtoBuf, the JavaScript kit, a C floor) and writes benchmarks/results/ and docs/performance.md
# (+ docs/performance.png). Bounded: about 12 minutes on 2 vCPUs.
#
#   benchmarks/run.sh            full run (5 rounds)
#   ROUNDS=1 SECONDS_PER_LEVEL=2 benchmarks/run.sh    quick look
#
# Needs Java 21+ (JAVA_HOME or a Temurin 25 under /usr/lib/jvm); installs gcc, Node.js/npm and
# kong-pdk@0.6.0 (into benchmarks/target/run/js) when they are missing. Builds the kit's modules
# from source in the benchmarks reactor: nothing is installed into any Maven repository.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
rounds=${ROUNDS:-5}
seconds=${SECONDS_PER_LEVEL:-4}
warmup=${WARMUP_SECONDS:-4}
levels=${LEVELS:-1,4,16}
# Also measured with Steps hopping between connections (every call racing for the pool).
hop_levels=${HOP_LEVELS:-16}
work="$here/target/run"
results="$here/results"

if [ -z "${JAVA_HOME:-}" ]; then
  for j in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk*; do
    if [ -x "$j/bin/java" ]; then JAVA_HOME=$j; break; fi
  done
fi
export JAVA_HOME
java="$JAVA_HOME/bin/java"

need_apt=""
command -v gcc >/dev/null 2>&1 || need_apt="$need_apt gcc libc6-dev"
command -v node >/dev/null 2>&1 || need_apt="$need_apt nodejs"
command -v npm >/dev/null 2>&1 || need_apt="$need_apt npm"
if [ -n "$need_apt" ]; then
  echo "installing:$need_apt" >&2
  apt-get update -q >/dev/null && apt-get install -y -q $need_apt >/dev/null
fi

echo "== build" >&2
(cd "$root" && ./mvnw -B -q -f benchmarks/pom.xml package -DskipTests)
rm -rf "$work" && mkdir -p "$work/js" "$results"
gcc -O2 -Wall -D_GNU_SOURCE -pthread -o "$work/floor" "$here/floor/floor.c"
# The Java server exactly as a plugin author ships it: the kit's launcher with the jar appended.
cat "$root/pdk-bridge/src/main/resources/dev/kongpdk/bridge/launcher.sh" "$here/bench-plugin/target/bench-hello.jar" \
  > "$work/bench-hello"
cat "$root/pdk-bridge/src/main/resources/dev/kongpdk/bridge/launcher.sh" "$here/bench-plugin-pb/target/bench-hello-pb.jar" \
  > "$work/bench-hello-pb"
chmod 755 "$work/bench-hello" "$work/bench-hello-pb"
(cd "$work/js" && npm init -y >/dev/null && npm install -q --no-audit --no-fund kong-pdk@0.6.0 >/dev/null)
jsserver="$work/js/node_modules/kong-pdk/bin/kong-js-pluginserver"

driver="$java -cp $here/driver/target/bench-driver.jar dev.kongpdk.benchmarks.driver"
rm -f "$results"/*.jsonl "$results"/*.log "$results"/*.json "$results"/*.csv

cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)

echo "== dump commands" >&2
$driver.DumpTimer --label java-first --repeat 1 --out "$results/dump.jsonl" -- "$work/bench-hello" -dump
$driver.DumpTimer --label java --repeat 5 --out "$results/dump.jsonl" -- "$work/bench-hello" -dump
$driver.DumpTimer --label js --repeat 5 --out "$results/dump.jsonl" -- \
  node "$jsserver" -d "$here/js/plugins" --dump-all-plugins

run_server() { # label round
  protocol=msgpack pool=kong server_levels=$levels
  case "$1" in
    java) set -- "$1" "$2" "$work/java.sock" "$work/bench-hello" --socket "$work/java.sock" ;;
    java-hop) pool=shared server_levels=$hop_levels
      set -- "$1" "$2" "$work/java.sock" "$work/bench-hello" --socket "$work/java.sock" ;;
    js-hop) pool=shared server_levels=$hop_levels
      set -- "$1" "$2" "$work/hello.sock" node "$jsserver" -d "$here/js/plugins" -p "$work" --sock-name hello.sock ;;
    java-pb) protocol=protobuf
      set -- "$1" "$2" "$work/java-pb.sock" "$work/bench-hello-pb" --socket "$work/java-pb.sock" ;;
    js) set -- "$1" "$2" "$work/hello.sock" node "$jsserver" -d "$here/js/plugins" -p "$work" --sock-name hello.sock ;;
    floor) set -- "$1" "$2" "$work/floor.sock" "$work/floor" "$work/floor.sock" ;;
  esac
  label=$1 round=$2 socket=$3
  shift 3
  echo "== round $round: $label" >&2
  $driver.LoadDriver --label "$label" --protocol "$protocol" --pool "$pool" --round "$round" \
    --socket "$socket" --out "$results/load.jsonl" \
    --levels "$server_levels" --warmup-seconds "$warmup" --seconds "$seconds" --max-events 5000000 \
    --clk-tck "$(getconf CLK_TCK)" -- "$@" 2>>"$results/driver.log"
}

round=1
while [ "$round" -le "$rounds" ]; do
  case $((round % 4)) in
    1) order="java java-pb js floor java-hop js-hop" ;;
    2) order="java-pb js floor java js-hop java-hop" ;;
    3) order="js floor java java-pb java-hop js-hop" ;;
    0) order="floor java java-pb js js-hop java-hop" ;;
  esac
  for s in $order; do run_server "$s" "$round"; done
  round=$((round + 1))
done

echo "== JMH" >&2
$java -jar "$here/jmh/target/bench-jmh.jar" ${JMH_OPTS:--f 1 -wi 2 -w 1s -i 3 -r 1s} \
  -rf json -rff "$results/jmh.json" >"$results/jmh.log" 2>&1

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cat > "$results/machine.json" <<JSON
{
  "run started (UTC)": "$started",
  "CPU": "$cpu",
  "vCPUs (nproc)": "$(nproc)",
  "memory": "$mem",
  "kernel": "$(uname -sr)",
  "Java": "$("$java" -version 2>&1 | head -1 | sed 's/"/\\"/g')",
  "Node.js": "$(node --version)",
  "load average (1/5/15 min) before the run": "$load_before",
  "load average (1/5/15 min) after the run": "$load_after",
  "rounds x levels x seconds": "$rounds x $levels x ${seconds}s (warm-up ${warmup}s)"
}
JSON

echo "== report" >&2
$driver.Report "$results" "$root/docs"
echo "wrote $root/docs/performance.md" >&2
