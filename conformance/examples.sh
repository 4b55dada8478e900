#!/usr/bin/env bash
# Each example's contract, end to end through real Kong 3.9.3 and 2.8.5 (../shared/kong-harness):
# Kong starts the example's own launcher (examples/<name>/target/<plugin>), validates its schema,
# and the requests below check what the example promises in its README.
#
#   conformance/examples.sh                 both versions
#   KONG_VERSIONS=2.8 conformance/examples.sh
#
# Needs the build (./mvnw -B verify builds every launcher). Environment as for run.sh
# (KONG_HARNESS, CONFORMANCE_PREFIX, CONFORMANCE_PORT: this script uses port + 20 and + 30).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
K="${KONG_HARNESS:-$ROOT/../shared/kong-harness}"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
BASE_PREFIX="${CONFORMANCE_PREFIX:-/tmp/kong-conformance}-examples"
BASE_PORT="$(( ${CONFORMANCE_PORT:-18300} + 20 ))"
OUT="$ROOT/conformance/target"
CP="$(cat "$OUT/conformance.classpath"):$OUT/classes"
failures=0
checks=0

check() { # description, condition (evaluated)
  checks=$((checks + 1))
  if eval "$2"; then
    echo "  ok   $1"
  else
    echo "  FAIL $1" >&2
    failures=$((failures + 1))
  fi
}

# start VERSION PORT PREFIX LAUNCHER NAME ROUTES_JSON
# Kong 2.8's metaschema rejects field descriptions (docs/schema.md#kong-versions): for 2.8 the query
# command leaves them out, as building with -Akongpdk.descriptions=false does.
start() {
  local query="$4 -dump"
  if [ "$1" = 2.8 ]; then
    query="$OUT/examples-query-$5.sh"
    printf '#!/bin/sh\n%s -dump | jq -c %s\n' "$4" \
      "'walk(if type == \"object\" then del(.description) else . end)'" > "$query"
    chmod +x "$query"
  fi
  HARNESS_PREFIX="$3" PROXY_PORT="$2" KONG_VERSION="$1" ROUTES_JSON="$6" \
    "$K/run-harness.sh" start "$4 -kong-prefix $3" "$query" "$3/$5.socket" "$5" > "$3.out" 2>&1 || {
      cat "$3.out" >&2; return 1; }
}
stop() { HARNESS_PREFIX="$1" "$K/run-harness.sh" stop > /dev/null 2>&1 || true; }

run_version() {
  local v="$1" port="$2" prefix="$BASE_PREFIX-${1/./}" url h body waited
  url="http://127.0.0.1:$port"
  echo "Kong $v"

  local hello="$ROOT/examples/hello/target/hello"
  start "$v" "$port" "$prefix" "$hello" hello \
    '[{"path":"/hello","plugins":[{"name":"hello","config":{"message":"Kong!"}}]}]'
  h="$(curl -s -D- -o /dev/null -H 'Host: example.test' "$url/hello/x")"
  check "hello: x-hello-from-java names the message and the host" \
    'grep -qi "^x-hello-from-java: Java says Kong! to example.test" <<< "$h"'
  stop "$prefix"

  local transformer="$ROOT/examples/response-transformer/target/json-transformer"
  start "$v" "$port" "$prefix" "$transformer" json-transformer \
    '[{"path":"/t","plugins":[{"name":"json-transformer","config":{"remove":["headers"],"rename":{"uri":"path"},"add":{"via":"java"},"set_headers":{"x-transformed":"yes"}}}]}]'
  h="$(curl -s -D- -o "$prefix.body" "$url/t/items?a=1")"
  body="$(cat "$prefix.body")"
  check "json-transformer: the upstream's JSON is rewritten (removed, renamed, added)" \
    '[ "$(jq -c "{has_headers: has(\"headers\"), path, via, has_uri: has(\"uri\")}" <<< "$body")" = "{\"has_headers\":false,\"path\":\"/items?a=1\",\"via\":\"java\",\"has_uri\":false}" ]'
  check "json-transformer: set_headers reach the client" 'grep -qi "^x-transformed: yes" <<< "$h"'
  stop "$prefix"

  local shipper="$ROOT/examples/log-shipper/target/log-shipper"
  rm -f "$prefix.shipped.jsonl"
  start "$v" "$port" "$prefix" "$shipper" log-shipper \
    "[{\"path\":\"/l\",\"plugins\":[{\"name\":\"log-shipper\",\"config\":{\"sink\":\"file\",\"path\":\"$prefix.shipped.jsonl\",\"batch_size\":1,\"flush_interval_ms\":100}}]}]"
  curl -s -o /dev/null -H 'X-Ship: one' "$url/l/shipped?n=1"
  waited=0
  until [ -s "$prefix.shipped.jsonl" ] || [ $waited -ge 100 ]; do sleep 0.1; waited=$((waited + 1)); done
  check "log-shipper: the serialized log of the request lands in the file" \
    '[ -s "$prefix.shipped.jsonl" ] && [ "$(head -1 "$prefix.shipped.jsonl" | jq -r ".request.headers[\"x-ship\"]")" = one ]'
  stop "$prefix"

  local auth_port=$((port + 5))
  "$JAVA" -cp "$CP" dev.kongpdk.conformance.AuthServiceStub "$auth_port" &
  local auth_pid=$! waited=0
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$auth_port/check")" = 401 ] || [ $waited -ge 100 ]; do
    sleep 0.1; waited=$((waited + 1))
  done
  local router="$ROOT/examples/auth-router/target/auth-router"
  start "$v" "$port" "$prefix" "$router" auth-router \
    "[{\"path\":\"/a\",\"plugins\":[{\"name\":\"auth-router\",\"config\":{\"auth_url\":\"http://127.0.0.1:$auth_port/check\",\"legacy_backend\":\"127.0.0.1:$((port + 1))\",\"new_backend\":\"127.0.0.1:$((port + 1))\",\"new_from_version\":2,\"timeout_ms\":5000}}]}]"
  check "auth-router: no token is 401 with WWW-Authenticate" \
    '[ "$(curl -s -o /dev/null -w "%{http_code} %header{www-authenticate}" "$url/a/x")" = "401 Bearer" ]'
  check "auth-router: a refused token is 403" \
    '[ "$(curl -s -o /dev/null -w "%{http_code}" -H "x-api-token: banned" "$url/a/x")" = 403 ]'
  h="$(curl -s -D- -o "$prefix.body" -H 'x-api-token: gold' -H 'x-account-id: forged' "$url/a/x")"
  body="$(cat "$prefix.body")"
  check "auth-router: a version-3 account goes to the new backend with its account headers" \
    'grep -qi "^x-backend: new" <<< "$h" && [ "$(jq -r ".headers[\"x-account-id\"]" <<< "$body")" = a-1 ]'
  h="$(curl -s -D- -o /dev/null -H 'x-api-token: basic' "$url/a/x")"
  check "auth-router: a version-1 account goes to the legacy backend" 'grep -qi "^x-backend: legacy" <<< "$h"'
  kill "$auth_pid"; wait "$auth_pid" 2>/dev/null || true
  check "auth-router: with the auth service down, fail closed with 503" \
    '[ "$(curl -s -o /dev/null -w "%{http_code}" -H "x-api-token: other" "$url/a/x")" = 503 ]'
  stop "$prefix"
}

for v in ${KONG_VERSIONS:-3.9 2.8}; do
  case "$v" in 2.8) port=$((BASE_PORT + 10)) ;; *) port=$BASE_PORT ;; esac
  run_version "$v" "$port"
done
echo "examples through real Kong: $checks checks, $failures failed"
[ "$failures" -eq 0 ]
