#!/bin/sh
# What the metrics module costs a plugin that does not use it: for each hello launcher given, the
# classes the JVM loads from Micrometer or the kit's metrics code (-Xlog:class+load), the number of
# classes loaded in all, and the plugin server's RSS (VmRSS) at idle and after EVENTS events.
# Compare the launcher of a kit without pdk-metrics with the launcher of this one.
#
#   benchmarks/metrics-footprint.sh OLD/examples/hello/target/hello examples/hello/target/hello
#
# SERVER_ARGS are added to every server's command line (for example --metrics-prometheus :0 to
# measure a launcher built with pdk-metrics, with its metrics on).
# Needs pdk-testkit built (target/classes, target/simulator.classpath). RSS is the median of ROUNDS
# runs, each launcher in turn; the first run of a launcher creates its CDS archive and is not counted.
set -eu
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
EVENTS=${EVENTS:-2000}
ROUNDS=${ROUNDS:-3}
SETTLE=${SETTLE:-3}
java="$JAVA_HOME/bin/java"
cp="$PWD/pdk-testkit/target/classes:$(cat pdk-testkit/target/simulator.classpath)"
work=$(mktemp -d /tmp/footprint.XXXXXX)
trap 'rm -rf "$work"' EXIT

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# start LAUNCHER DIR: starts the server from this shell (the server stops when its parent exits, as
# under Kong) and sets pid once the socket exists
start() {
  rm -f "$2/hello.socket"
  # shellcheck disable=SC2086
  "$1" -kong-prefix "$2" ${SERVER_ARGS:-} > "$2/server.log" 2>&1 &
  pid=$!
  i=0
  while [ ! -S "$2/hello.socket" ]; do
    i=$((i + 1)); [ $i -lt 600 ] || { echo "server did not start: $(cat "$2/server.log")" >&2; exit 1; }
    sleep 0.05
  done
}

# stop PID: SIGTERM, as Kong sends, then wait until the process is gone
stop() {
  kill "$1"
  while kill -0 "$1" 2>/dev/null; do sleep 0.05; done
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

n=0
for launcher in "$@"; do
  n=$((n + 1))
  dir="$work/$n"; mkdir -p "$dir"
  # the class list: the launcher's JVM, with class loading logged
  export KONG_PDK_JAVA_OPTS="-XX:+UseSerialGC -Xms8m -Xmx128m -Xss512k --sun-misc-unsafe-memory-access=allow -Xlog:disable -Xlog:class+load=info:file=$dir/classes.txt"
  start "$launcher" "$dir"
  unset KONG_PDK_JAVA_OPTS
  "$java" --sun-misc-unsafe-memory-access=allow -cp "$cp" benchmarks/metrics-footprint/HelloEvents.java "$dir/hello.socket" 100
  stop "$pid"
  total=$(grep -c ' source: ' "$dir/classes.txt" || true)
  metrics=$(grep -E 'io\.micrometer|io\.prometheus|dev\.kongpdk\.metrics|PluginMetrics|NoMetrics' "$dir/classes.txt" | wc -l)
  echo "$launcher: $total classes loaded after 100 events, $metrics of them metrics classes"
  grep -E 'dev\.kongpdk\.bridge\.ServerObserver|io\.micrometer|dev\.kongpdk\.metrics|PluginMetrics' "$dir/classes.txt" \
    | awk '{print "  " $2}' || true
  # warm the CDS archive the launcher creates on its first run
  start "$launcher" "$dir"; stop "$pid"
done
if [ $# -eq 2 ]; then
  echo "classes loaded by $2 and not by $1:"
  # hidden classes (lambdas, method handles) get a new address suffix every run: compare without it,
  # counting each name as often as it was loaded
  for k in 1 2; do
    awk '/ source: / {sub(/\/0x[0-9a-f]+$/, "", $2); print $2}' "$work/$k/classes.txt" | sort \
      | awk '{n[$0]++} END {for (c in n) print c " x" n[c]}' | sort > "$work/$k.sorted"
  done
  comm -13 "$work/1.sorted" "$work/2.sorted" | sed 's/^/  /'
  echo "classes loaded by $1 and not by $2:"
  comm -23 "$work/1.sorted" "$work/2.sorted" | sed 's/^/  /'
fi

: > "$work/rss"
r=0
while [ "$r" -lt "$ROUNDS" ]; do
  r=$((r + 1)); n=0
  for launcher in "$@"; do
    n=$((n + 1)); dir="$work/$n"
    start "$launcher" "$dir"
    sleep "$SETTLE"
    idle=$(rss_kib "$pid")
    "$java" --sun-misc-unsafe-memory-access=allow -cp "$cp" benchmarks/metrics-footprint/HelloEvents.java "$dir/hello.socket" "$EVENTS"
    sleep "$SETTLE"
    busy=$(rss_kib "$pid")
    stop "$pid"
    echo "$n $idle $busy" >> "$work/rss"
  done
done
[ "$ROUNDS" -gt 0 ] || exit 0
n=0
for launcher in "$@"; do
  n=$((n + 1))
  idle=$(awk -v n=$n '$1 == n {print $2}' "$work/rss" | median)
  busy=$(awk -v n=$n '$1 == n {print $3}' "$work/rss" | median)
  runs=$(awk -v n=$n '$1 == n {printf "%s/%s ", $2, $3}' "$work/rss")
  echo "$launcher: RSS idle $idle KiB, after $EVENTS events $busy KiB (median of $ROUNDS; idle/after per run: $runs)"
done
