#!/usr/bin/env bash
# Measures plugin servers through Kong's own plugin-server code (the kong-harness: Kong 3.9.3's
# and 2.8.5's Lua in nginx) and writes benchmarks/results/kong/ and the leading section of
# docs/performance.md (through benchmarks/driver's Report, which keeps the driver's figures below).
#
#   benchmarks/kong-run.sh           full run: Kong 3.9.3 with 1 nginx worker in 3 rounds, Kong 3.9.3 with
#                                    2 workers and Kong 2.8.5 with 1 and 2 in 1 round each; 5 servers x
#                                    {1, 10} connections (and 2 more with Kong 3.9.3 and 1 worker);
#                                    about 16 minutes on 2 vCPUs
#   QUICK=1 benchmarks/kong-run.sh   Kong 3.9, 1 worker, 1 round, 3 s windows: about 2 minutes
#
# Servers, each the go-hello workload (get_header("host"), then response.set_header):
#   java      this kit over MessagePack (benchmarks/bench-plugin with the kit's launcher)
#   java-pb   this kit over ProtoBuf (benchmarks/bench-plugin-pb, the same plugin class)
#   js        the JavaScript kit kong-pdk 0.6.0 (installed by the harness setup), benchmarks/js/plugins/hello.js
#   go        go-pdk 0.11.0's examples/go-hello.go (ProtoBuf), built by the harness's build-go-hello.sh
#   floor     the /noplugin route: Kong's and nginx's own cost with no plugin at all
# and, with Kong 3.9.3 and 1 worker only (where the targets are judged), two servers that do no
# plugin work and answer with canned bytes, to show what each threading design costs by itself:
#   min-c-threads   benchmarks/floor/floor.c: C, a thread per connection, blocking reads
#   min-java-loop   benchmarks/floor/LoopFloor.java: Java, one thread and one selector for all
#                   connections, behind the kit's launcher with its default flags
#
# Every (Kong version, workers, server) starts a fresh harness; after a warm-up, wrk measures
# each connection level (wrk -t1 -cN) through the harness's load.sh, which samples the CPU of the
# nginx workers and of the plugin-server process tree; RSS (VmRSS) and the peak since the server
# started (VmHWM) are read at the end of each window.
# The order of the servers rotates between rounds.
#
# Env: ROUNDS (3; Kong 3.9.3 with 1 worker), OTHER_ROUNDS (1; the other settings),
# SECONDS_PER_LEVEL (4), WARMUP_SECONDS (5), LEVELS ("1 10"), KONGS ("3.9 2.8"),
# WORKER_COUNTS ("1 2"), SERVERS ("java java-pb js go floor"), MINIMA ("min-c-threads min-java-loop";
# empty for none), HARNESS_PREFIX (/tmp/kong-bench),
# PROXY_PORT (18600), KONG_HARNESS (../shared/kong-harness from the repository root),
# HARNESS_HOME (as the harness), SKIP_BUILD=1 (use the jars already built), MAVEN_OPTS (passed on).
# For A/B runs of the kit itself: a server LABEL=/abs/path/to/launcher in SERVERS, RESULTS_DIR
# (another directory for kong.jsonl), NO_REPORT=1 (leave docs/ alone) and MINIMA= (no minima).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
if [ "${QUICK:-0}" = 1 ]; then
  : "${ROUNDS:=1}" "${SECONDS_PER_LEVEL:=3}" "${WARMUP_SECONDS:=3}" "${KONGS:=3.9}" "${WORKER_COUNTS:=1}"
fi
rounds=${ROUNDS:-3}
# Kong 3.9.3 with one worker is where the targets are judged; the other settings get fewer rounds.
other_rounds=${OTHER_ROUNDS:-1}
seconds=${SECONDS_PER_LEVEL:-4}
warmup=${WARMUP_SECONDS:-5}
levels=${LEVELS:-1 10}
kongs=${KONGS:-3.9 2.8}
worker_counts=${WORKER_COUNTS:-1 2}
servers=${SERVERS:-java java-pb js go floor}
minima=${MINIMA-min-c-threads min-java-loop}
harness=${KONG_HARNESS:-$root/../shared/kong-harness}
[ -x "$harness/run-harness.sh" ] || { echo "kong-harness not found at $harness: set KONG_HARNESS" >&2; exit 2; }
harness=$(cd "$harness" && pwd)
export HARNESS_HOME=${HARNESS_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/kong-harness}
export HARNESS_PREFIX=${HARNESS_PREFIX:-/tmp/kong-bench}
export PROXY_PORT=${PROXY_PORT:-18600}
P=$HARNESS_PREFIX
work="$here/target/kong-run"
results=${RESULTS_DIR:-$here/results/kong}

if [ -z "${JAVA_HOME:-}" ]; then
  for j in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk*; do
    if [ -x "$j/bin/java" ]; then JAVA_HOME=$j; break; fi
  done
fi
export JAVA_HOME
java="$JAVA_HOME/bin/java"

"$harness/setup.sh" >/dev/null
case " $servers " in
  *" go "*|*" floor "*) "$harness/build-go-hello.sh" >/dev/null ;;
esac
go_hello="$HARNESS_HOME/go/bin/hello"
js_server="$HARNESS_HOME/js/node_modules/.bin/kong-js-pluginserver"
node_bin=$(command -v node)

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "== build" >&2
  (cd "$root" && ./mvnw -B -q -f benchmarks/pom.xml package -DskipTests -pl bench-plugin,bench-plugin-pb,driver -am)
fi
rm -rf "$work" && mkdir -p "$work/js" "$results"
# The Java servers exactly as a plugin author ships them: the kit's launcher with the jar appended.
launcher="$root/pdk-bridge/src/main/resources/dev/kongpdk/bridge/launcher.sh"
cat "$launcher" "$here/bench-plugin/target/bench-hello.jar" > "$work/bench-hello"
cat "$launcher" "$here/bench-plugin-pb/target/bench-hello-pb.jar" > "$work/bench-hello-pb"
chmod 755 "$work/bench-hello" "$work/bench-hello-pb"
# Creates the launchers' class-data-sharing archives, as the first -dump after installing does.
"$work/bench-hello" -dump >/dev/null
"$work/bench-hello-pb" -dump >/dev/null
cp "$here/js/plugins/hello.js" "$work/js/"
for m in $minima; do
  case "$m" in
    min-c-threads)
      gcc -O2 -Wall -D_GNU_SOURCE -pthread -o "$work/min-c-threads" "$here/floor/floor.c" ;;
    min-java-loop)
      "$JAVA_HOME/bin/javac" --release 21 -d "$work/loop-floor" "$here/floor/LoopFloor.java"
      "$JAVA_HOME/bin/jar" --create --file "$work/loop-floor.jar" --main-class LoopFloor \
        -C "$work/loop-floor" .
      cat "$launcher" "$work/loop-floor.jar" > "$work/min-java-loop"
      chmod 755 "$work/min-java-loop" ;;
    *) echo "unknown minimum server: $m" >&2; exit 2 ;;
  esac
done
rm -f "$results"/*.jsonl "$results"/*.json "$results"/*.log

cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
t0=$(date +%s)

stop_harness() { "$harness/run-harness.sh" stop >/dev/null 2>&1 || true; }
trap stop_harness EXIT

start_harness() { # server kong workers
  local s=$1 cmd query
  case "$s" in
    java) cmd="$work/bench-hello -kong-prefix $P"; query="$work/bench-hello -dump" ;;
    java-pb) cmd="$work/bench-hello-pb -kong-prefix $P"; query="$work/bench-hello-pb -dump" ;;
    js) cmd="$node_bin $js_server --plugins-directory $work/js --kong-prefix $P --sock-name hello.socket"
        query="$node_bin $js_server --plugins-directory $work/js --dump-all-plugins" ;;
    go|floor) cmd="$go_hello -kong-prefix $P"; query="$go_hello -dump" ;;
    # The minima answer only the hello workload's calls; Kong learns the plugin from the kit's.
    min-c-threads) cmd="$work/min-c-threads $P/hello.socket"; query="$work/bench-hello -dump" ;;
    min-java-loop) cmd="$work/min-java-loop -kong-prefix $P"; query="$work/bench-hello -dump" ;;
    *=*) cmd="${s#*=} -kong-prefix $P"; query="${s#*=} -dump" ;; # LABEL=/path/to/launcher (A/B runs)
  esac
  ROUTES_JSON='[{"path":"/hello","plugins":[{"name":"hello","config":{}}]},{"path":"/noplugin","plugins":[]}]' \
  KONG_VERSION=$2 WORKERS=$3 "$harness/run-harness.sh" start "$cmd" "$query" "$P/hello.socket" hello \
    >>"$results/harness.log" 2>&1
}

status_kib() { # FIELD (VmRSS, VmHWM): its sum over the plugin-server process tree Kong spawned
  local root_pid total=0 p
  root_pid=$(awk 'END{print $1}' "$P/logs/pluginserver.pids" 2>/dev/null)
  [ -n "$root_pid" ] || { echo 0; return; }
  for p in $root_pid $(pgrep -P "$root_pid" 2>/dev/null); do
    total=$((total + $(awk -v f="$1:" '$1 == f {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

measure() { # server kong workers round
  local s=$1 kv=$2 w=$3 r=$4 path=/hello line c
  [ "$s" = floor ] && path=/noplugin
  echo "== round $r: Kong $kv, $w worker(s), $s" >&2
  if ! start_harness "$s" "$kv" "$w"; then
    echo "   harness did not start (see $results/harness.log)" >&2
    return 0
  fi
  # The warm-up ends with a short run at every level: wrk connects anew for each run and nginx
  # workers take the connections as they come, so a worker may first serve (and open its own
  # connections to the plugin server) only in a later run. The JIT's work for those first
  # requests belongs to the warm-up, not to a measured window; the peak column keeps it.
  PATHS=$path "$harness/load.sh" "$warmup" 10 1 >/dev/null 2>>"$results/load.log"
  for c in $levels; do
    PATHS=$path "$harness/load.sh" 2 "$c" 1 >/dev/null 2>>"$results/load.log"
  done
  for c in $levels; do
    line=$(PATHS=$path "$harness/load.sh" "$seconds" "$c" 1 2>>"$results/load.log" | tail -1)
    # path rps p50 p90 p99 non2xx ngx% ps% other%
    set -- $line
    printf '{"kong":"%s","workers":%s,"server":"%s","connections":%s,"round":%s,"path":"%s",' \
      "$kv" "$w" "${s%%=*}" "$c" "$r" "$1" >>"$results/kong.jsonl"
    printf '"rps":%s,"p50ms":%s,"p90ms":%s,"p99ms":%s,"non2xx":%s,"ngxPct":%s,"psPct":%s,"otherPct":%s,' \
      "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$9" >>"$results/kong.jsonl"
    printf '"rssKiB":%s,"peakKiB":%s}\n' "$(status_kib VmRSS)" "$(status_kib VmHWM)" >>"$results/kong.jsonl"
    echo "   c=$c: $line" >&2
  done
  stop_harness
}

rotate() { # n words... -> the words rotated left by n
  local n=$1; shift
  local words=("$@") i
  for ((i = 0; i < ${#words[@]}; i++)); do
    printf '%s ' "${words[$(((i + n) % ${#words[@]}))]}"
  done
}

read -r -a server_list <<<"$servers"
read -r -a judged_list <<<"$servers $minima"
round=1
while [ "$round" -le "$rounds" ]; do
  for kv in $kongs; do
    for w in $worker_counts; do
      if [ "$kv/$w" != 3.9/1 ] && [ "$round" -gt "$other_rounds" ]; then continue; fi
      if [ "$kv/$w" = 3.9/1 ]; then list=("${judged_list[@]}"); else list=("${server_list[@]}"); fi
      for s in $(rotate $((round - 1)) "${list[@]}"); do
        measure "$s" "$kv" "$w" "$round"
      done
    done
  done
  round=$((round + 1))
done
trap - EXIT

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cat > "$results/machine.json" <<JSON
{
  "run started (UTC)": "$started",
  "run took": "$(( ($(date +%s) - t0) / 60 )) min $(( ($(date +%s) - t0) % 60 )) s",
  "CPU": "$cpu",
  "vCPUs (nproc)": "$(nproc)",
  "memory": "$mem",
  "kernel": "$(uname -sr)",
  "nginx": "$(/usr/sbin/nginx -v 2>&1 | sed 's/.*: //')",
  "Java": "$("$java" -version 2>&1 | head -1 | sed 's/"/\\"/g')",
  "Node.js": "$(node --version)",
  "load average (1/5/15 min) before the run": "$load_before",
  "load average (1/5/15 min) after the run": "$load_after",
  "rounds x seconds per level": "$rounds (other settings: $other_rounds) x ${seconds}s (warm-up ${warmup}s at 10 connections, then 2s at each level)",
  "Kong versions x nginx workers x connections": "$kongs x $worker_counts x $levels",
  "quick mode": "${QUICK:-0}"
}
JSON

[ "${NO_REPORT:-0}" = 1 ] && exit 0
echo "== report" >&2
"$java" -cp "$here/driver/target/bench-driver.jar" dev.kongpdk.benchmarks.driver.Report \
  "$here/results" "$root/docs"
echo "wrote $root/docs/performance.md ($(( ($(date +%s) - t0) )) s)" >&2
