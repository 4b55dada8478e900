#!/usr/bin/env bash
# Conformance suite through real Kong: runs every row of the suite (every typed PDK method in every
# phase Kong allows it) through ../shared/kong-harness on Kong 3.9.3 and 2.8.5 over MessagePack,
# writes conformance/target/results-<version>.json and regenerates docs/conformance.md from them.
#
#   conformance/run.sh                  both versions
#   KONG_VERSIONS=2.8 conformance/run.sh
#   ONLY='setHeader' conformance/run.sh  rows whose id matches a regex (the doc is not rewritten)
#   MODE=stale conformance/run.sh       the stale-data experiment instead (conformance/target/stale-*.json)
#
# Environment: KONG_HARNESS (default ../shared/kong-harness next to the repository), HARNESS_HOME
# (as for the harness), CONFORMANCE_PREFIX (default /tmp/kong-conformance; -39 or -28 is
# appended), CONFORMANCE_PORT (default 18300; 3.9 uses it, 2.8 uses it + 10; each needs 10 ports).
# Exit status: 0 when no row failed on any version.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
K="${KONG_HARNESS:-$ROOT/../shared/kong-harness}"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
BASE_PREFIX="${CONFORMANCE_PREFIX:-/tmp/kong-conformance}"
BASE_PORT="${CONFORMANCE_PORT:-18300}"
OUT="$ROOT/conformance/target"

if [ ! -x "$K/run-harness.sh" ]; then
  echo "no Kong harness at $K (set KONG_HARNESS)" >&2
  exit 2
fi
if [ ! -f "$OUT/conformance.classpath" ] || [ ! -d "$OUT/classes/META-INF/kong" ]; then
  (cd "$ROOT" && ./mvnw -B -q package -DskipTests -pl conformance -am)
fi
CP="$(cat "$OUT/conformance.classpath"):$OUT/classes"

run_version() {
  local v="$1" port="$2" label prefix status=0
  case "$v" in
    3.9) label=3.9.3 ;;
    2.8) label=2.8.5 ;;
    *) echo "unknown Kong version $v" >&2; return 2 ;;
  esac
  prefix="$BASE_PREFIX-${v/./}"
  rm -rf "$prefix/logs"
  local server="$JAVA -cp $CP dev.kongpdk.bridge.PluginServerMain"
  local report="$prefix.report.socket"
  # The socket lives beside the prefix: starting the harness clears the prefix.
  local socket="$prefix.probe.socket"
  local started=$SECONDS start_cmd="$server --socket $socket --event-timeout 3" server_pid=""
  mkdir -p "$prefix"
  local query_cmd="$server -dump"
  if [ "$v" = 2.8 ]; then
    # Kong 2.8 wedges a plugin for good when its first request comes before the server listens
    # (docs/troubleshooting.md), and the harness's readiness request goes through the global
    # probe at once. So this script starts the server itself, once the harness has cleared the
    # old socket and Kong runs the query command (which waits for the socket), and Kong treats
    # the server as externally managed.
    local flag="$prefix.query-started"
    rm -f "$flag"
    query_cmd="$OUT/query-$label.sh"
    printf '#!/bin/sh\n: > %s\ni=0\nwhile [ ! -S %s ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done\nexec %s\n' \
      "$flag" "$socket" "$server -dump" > "$query_cmd"
    chmod +x "$query_cmd"
    start_cmd=""
  fi
  HARNESS_PREFIX="$prefix" PROXY_PORT="$port" KONG_VERSION="$v" TRACE=1 \
    ROUTES_JSON='[{"path":"/c","plugins":[]}]' \
    GLOBAL_PLUGINS_JSON="[{\"name\":\"conformance-probe\",\"config\":{\"report\":\"$report\",\"closed_port\":$((port + 9))}}]" \
    "$K/run-harness.sh" start "$start_cmd" "$query_cmd" \
      "$socket" conformance-probe > "$OUT/harness-$label.out" 2>&1 &
  local harness_pid=$!
  if [ "$v" = 2.8 ]; then
    local waited=0
    until [ -e "$flag" ] || [ $waited -ge 600 ] || ! kill -0 "$harness_pid" 2>/dev/null; do
      sleep 0.1; waited=$((waited + 1))
    done
    $server --socket "$socket" --event-timeout 3 > "$OUT/server-$label.log" 2>&1 &
    server_pid=$!
  fi
  if ! wait "$harness_pid"; then
    cat "$OUT/harness-$label.out" >&2
    [ -z "$server_pid" ] || kill "$server_pid"
    return 1
  fi
  if [ "${MODE:-rows}" = stale ]; then
    "$JAVA" -cp "$CP" dev.kongpdk.conformance.StaleRun --port "$port" --prefix "$prefix" --report "$report" \
      --out "$OUT/stale-$label.json" --requests "${STALE_REQUESTS:-40}" || status=$?
  else
    "$JAVA" -cp "$CP" dev.kongpdk.conformance.ConformanceRun --kong "$label" --port "$port" \
      --prefix "$prefix" --report "$report" --out "$OUT/results-$label.json" ${ONLY:+--only "$ONLY"} || status=$?
  fi
  HARNESS_PREFIX="$prefix" "$K/run-harness.sh" stop > /dev/null 2>&1 || true
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  echo "Kong $label: $((SECONDS - started)) s (harness start, rows, stop)" >&2
  return $status
}

mkdir -p "$OUT"
failed=0
for v in ${KONG_VERSIONS:-3.9 2.8}; do
  case "$v" in 2.8) port=$((BASE_PORT + 10)) ;; *) port=$BASE_PORT ;; esac
  run_version "$v" "$port" || failed=1
done
if [ -z "${ONLY:-}" ] && [ "${MODE:-rows}" = rows ]; then
  if ls "$OUT"/results-*.json > /dev/null 2>&1; then
    "$JAVA" -cp "$CP" dev.kongpdk.conformance.ConformanceTable "$ROOT/docs/conformance.md" \
      "$OUT"/results-*.json
  fi
  # The differential test: the same rows through the testkit's FakeKong, against Kong 3.9.3.
  if [ -f "$OUT/results-3.9.3.json" ]; then
    "$JAVA" -cp "$CP" dev.kongpdk.conformance.Differential "$OUT/results-3.9.3.json" \
      "$OUT/differential-3.9.3.json" || failed=1
  fi
fi
exit $failed
