#!/usr/bin/env bash
# Shedding through Kong's own plugin-server code (the shared harness): with the cap on events in
# flight at 1 (--max-events 1) and one event holding it (a handler that never returns), the next
# request is shed at once with the plugin's failure policy:
#   slowauth (fails closed):    the client gets the 500 at once; the upstream is not reached;
#   lenientauth (fails open):   the server answers HandleEvent with an RPC error; Kong logs it
#                               ("[lenientauth] plugin 'lenientauth': the plugin server is
#                               overloaded ...") and proxies the request without the plugin.
# Runs on Kong 3.9.3 and 2.8.5 (VERSIONS), a few seconds each. Exits non-zero on failure; skips
# (exit 0, with a message) when the harness directory is absent.
#
# Environment: KONG_HARNESS (default ../shared/kong-harness from the repository root), VERSIONS
# ("3.9 2.8"), HARNESS_PREFIX (/tmp/kong-shed), PROXY_PORT (18000), JAVA_HOME for the build.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
K="${KONG_HARNESS:-$ROOT/../shared/kong-harness}"
if [ ! -x "$K/run-harness.sh" ]; then
  echo "SKIP kong-shed: no Kong harness at $K (set KONG_HARNESS)"
  exit 0
fi
VERSIONS="${VERSIONS:-3.9 2.8}"
export HARNESS_PREFIX="${HARNESS_PREFIX:-/tmp/kong-shed}"
export PROXY_PORT="${PROXY_PORT:-18000}"
P="$HARNESS_PREFIX"
L="$ROOT/reliability/slow-auth/target/slowauth"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

"$K/setup.sh" >/dev/null
if [ ! -x "$L" ] || [ -n "$(find "$ROOT/pdk-bridge/src/main" "$ROOT/reliability/slow-auth/src" -newer "$L" -type f 2>/dev/null | head -1)" ]; then
  echo "building $L"
  (cd "$ROOT" && ./mvnw -B -q install -DskipTests -pl reliability/slow-auth -am)
fi
holder=
cleanup() {
  [ -n "$holder" ] && kill "$holder" 2>/dev/null || true
  "$K/run-harness.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

status=0
for v in $VERSIONS; do
  for plugin in slowauth lenientauth; do
    KONG_VERSION="$v" ROUTES_JSON="[{\"path\":\"/hold\",\"plugins\":[{\"name\":\"$plugin\",\"config\":{}}]}]" \
      "$K/run-harness.sh" start "$L -kong-prefix $P --plugin $plugin --max-events 1" \
        "$L -dump --plugin $plugin" "$P/$plugin.socket" "$plugin" >"$P.start.log" 2>&1 \
      || { echo "FAIL $v $plugin: the harness did not start"; cat "$P.start.log"; exit 1; }
    curl -s -o /dev/null --max-time 120 "http://127.0.0.1:$PROXY_PORT/hold?holder" & holder=$!
    # The holder's event takes the only slot once its instance has started (Kong logs nothing
    # for it; its StartInstance shows as the plugin's first request), then the probe is shed.
    out=""
    for _ in $(seq 1 100); do
      out="$(curl -s -D "$P.headers" -o "$P.body" -w '%{http_code} %{time_total}' --max-time 30 \
        "http://127.0.0.1:$PROXY_PORT/hold?probe" || true)"
      # until the holder's event runs, the probe itself may take the slot: it then hangs 30 s
      # (curl gives up) and is tried again
      [ "${out%% *}" != 000 ] && break
    done
    code="${out%% *}"; took="${out##* }"
    upstream=no; grep -qi '^x-echo-upstream' "$P.headers" && upstream=yes
    logged="$(grep -o "\[$plugin\] plugin '$plugin': the plugin server is overloaded[^,]*" "$P/logs/error.log" | head -1 || true)"
    echo "Kong $v, $plugin: shed request -> $code after ${took}s, upstream reached: $upstream${logged:+; Kong logged: $logged}"
    if [ "$plugin" = slowauth ]; then
      { [ "$code" = 500 ] && [ "$upstream" = no ]; } || { echo "FAIL: expected the fail-closed 500"; status=1; }
    else
      { [ "$code" = 200 ] && [ "$upstream" = yes ] && [ -n "$logged" ]; } \
        || { echo "FAIL: expected Kong to log the RPC error and let the request through"; status=1; }
    fi
    kill "$holder" 2>/dev/null || true; wait "$holder" 2>/dev/null || true; holder=
    "$K/run-harness.sh" stop >/dev/null 2>&1 || true
  done
done
[ $status = 0 ] && echo "kong-shed: passed on Kong $VERSIONS" || echo "kong-shed: FAILED"
exit $status
