#!/usr/bin/env bash
# A handler that never returns, through Kong's own plugin-server code (the shared harness), with
# Kong's default socket read timeout (60 s): the client must get the fail-closed 500 from the
# plugin server's 55 s limit, and the upstream must never be reached. Before the limit sat below
# Kong's, Kong gave up first, logged "[slowauth] no data" and proxied the request WITHOUT the
# plugin.
#
# Runs Kong 3.9.3 and 2.8.5 side by side (about 60 s in all; the wait is Kong's real default
# timeout). Exits non-zero on any failure; skips (exit 0, with a message) when the harness
# directory is absent.
#
#   reliability/kong-fail-closed.sh
#
# Environment: KONG_HARNESS (default ../shared/kong-harness from the repository root),
# VERSIONS ("3.9 2.8"), HARNESS_PREFIX (/tmp/kong-fail-closed; 2.8 adds -2.8), PROXY_PORT (18000;
# 2.8 uses PROXY_PORT+10), JAVA_HOME for the build, SERVER_ARGS (extra plugin-server flags:
# SERVER_ARGS="--event-timeout 65" puts the limit past Kong's and shows the failure this script
# catches: Kong logs "no data" and the client gets the upstream's 200).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
K="${KONG_HARNESS:-$ROOT/../shared/kong-harness}"
if [ ! -x "$K/run-harness.sh" ]; then
  echo "SKIP kong-fail-closed: no Kong harness at $K (set KONG_HARNESS)"
  exit 0
fi
VERSIONS="${VERSIONS:-3.9 2.8}"
BASE_PREFIX="${HARNESS_PREFIX:-/tmp/kong-fail-closed}"
BASE_PORT="${PROXY_PORT:-18000}"
L="$ROOT/reliability/slow-auth/target/slowauth"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

"$K/setup.sh" >/dev/null
if [ ! -x "$L" ] || [ -n "$(find "$ROOT/pdk-bridge/src/main" "$ROOT/reliability/slow-auth/src" -newer "$L" -type f 2>/dev/null | head -1)" ]; then
  echo "building $L"
  (cd "$ROOT" && ./mvnw -B -q install -DskipTests -pl reliability/slow-auth -am)
fi

prefix_of() { if [ "$1" = 3.9 ]; then echo "$BASE_PREFIX"; else echo "$BASE_PREFIX-$1"; fi; }
port_of() { if [ "$1" = 3.9 ]; then echo "$BASE_PORT"; else echo $((BASE_PORT + 10)); fi; }

stop_all() {
  for v in $VERSIONS; do
    HARNESS_PREFIX="$(prefix_of "$v")" "$K/run-harness.sh" stop >/dev/null 2>&1 || true
  done
}
trap stop_all EXIT

# One route with the plugin (no url: its access handler waits forever), one without.
ROUTES='[{"path":"/slow","plugins":[{"name":"slowauth","config":{}}]},{"path":"/plain","plugins":[]}]'

check() {
  local v="$1" P PORT out code took failed=0
  P="$(prefix_of "$v")"; PORT="$(port_of "$v")"
  HARNESS_PREFIX="$P" PROXY_PORT="$PORT" KONG_VERSION="$v" LOG_LEVEL=info TRACE=1 ROUTES_JSON="$ROUTES" \
    "$K/run-harness.sh" start "$L -kong-prefix $P --plugin slowauth ${SERVER_ARGS:-}" "$L -dump --plugin slowauth" "$P/slowauth.socket" slowauth >"$P.start.log" 2>&1 \
    || { echo "FAIL $v: the harness did not start"; cat "$P.start.log"; return 1; }
  plain="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/plain")"
  out="$(curl -s -D "$P.headers" -o "$P.body" -w '%{http_code} %{time_total}' --max-time 150 \
    "http://127.0.0.1:$PORT/slow?probe=fail-closed" || true)"
  code="${out%% *}"; took="${out##* }"
  echo "Kong $v: /plain -> $plain; /slow (handler never returns) -> $code after ${took}s: $(head -c 200 "$P.body")"
  [ "$plain" = 200 ] || { echo "FAIL $v: the upstream is not reachable without the plugin"; failed=1; }
  [ "$code" = 500 ] || { echo "FAIL $v: expected the fail-closed 500, got '$code'"; failed=1; }
  grep -q 'An unexpected error occurred' "$P.body" || { echo "FAIL $v: not the fail-closed body"; failed=1; }
  if grep -qi '^x-echo-upstream' "$P.headers" || grep -q '"uri"' "$P.body"; then
    echo "FAIL $v: the request reached the upstream"; failed=1
  fi
  # Kong's read timeout counts per message: StartInstance (a cold JVM's first config binding)
  # is not part of HandleEvent's wait, so the client's time may pass 60 s; Kong's "no data" is
  # what shows that it gave up.
  if grep -q '\[slowauth\] no data' "$P/logs/error.log"; then
    echo "FAIL $v: Kong gave up on the plugin server ('no data')"; failed=1
  fi
  # Kong copies the server's stderr into its log from a timer of its own, so the line can land
  # a moment after the client has its answer: give it up to 10 s.
  local deadline=$((SECONDS + 10))
  until grep -q "did not finish or call Kong within [0-9]* ms in the access phase" "$P/logs/error.log"; do
    if [ $SECONDS -ge $deadline ]; then
      echo "FAIL $v: the server's timeout line is missing from Kong's log"; failed=1; break
    fi
    sleep 0.2
  done
  grep -o "plugin 'slowauth' did not finish[^,]*" "$P/logs/error.log" | head -1 | sed "s/^/  server log ($v): /"
  # Kong's wait for the answer to HandleEvent: from the StartInstance answer (Kong sends
  # HandleEvent right after it) to the HandleEvent answer, as Kong's trace logs them (1 s steps).
  local t1 t2
  t1="$(grep -m1 'harness-trace\] plugin.StartInstance' "$P/logs/error.log" | awk '{print $2}')"
  t2="$(grep -m1 'harness-trace\] plugin.HandleEvent' "$P/logs/error.log" | awk '{print $2}')"
  if [ -n "$t1" ] && [ -n "$t2" ]; then
    echo "  Kong waited $(( $(date -d "$t2" +%s) - $(date -d "$t1" +%s) )) s (+-1) for the answer to HandleEvent (its read timeout: 60 s)"
  fi
  return $failed
}

pids=()
for v in $VERSIONS; do
  check "$v" >"$(prefix_of "$v").result" 2>&1 &
  pids+=($!)
done
status=0
i=0
for v in $VERSIONS; do
  wait "${pids[$i]}" || status=1
  cat "$(prefix_of "$v").result"
  i=$((i + 1))
done
if [ $status = 0 ]; then
  echo "kong-fail-closed: passed on Kong $VERSIONS"
else
  echo "kong-fail-closed: FAILED"
fi
exit $status
