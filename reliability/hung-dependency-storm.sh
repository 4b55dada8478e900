#!/usr/bin/env bash
# The hung-dependency storm, through Kong 3.9.3's own plugin-server code (the shared harness;
# KONG_VERSION=2.8 for Kong 2.8.5's):
# the slowauth plugin asks an auth service on 127.0.0.1 on every request, open loop at RATE
# requests/s (default 200).
#
#   0. warm-up  (WARMUP s, default 30, at RATE/4): a server that has been running, JIT-compiled;
#   1. healthy  (HEALTHY s, default 90): the service answers; then no traffic for IDLE s (default
#      90: idle server threads are let go after 60 s, and threads reading Kong's pooled connections
#      when Kong closes them, after its 60 s keep-alive) and the baseline RSS, threads and fds of
#      the plugin server (median of the last 10 s);
#   2. storm    (DURATION s, default 300): the service holds every request unanswered;
#      every request answered before the service recovers must get the fail-closed 500 within
#      the event limit (55 s; the plugin's own HTTP timeout is AUTH_TIMEOUT_MS, default 30000),
#      and no request may ever reach the upstream without the plugin's yes (its x-auth header):
#      that would be Kong skipping the plugin (fail open). A request still waiting when the
#      service recovers may be let through by the recovered service's yes;
#   3. recovery (RECOVERY s, default 120): the service answers again (dropping the connections it
#      held, as a restarted service does); the first normal answer must come within a second, and
#      every request sent a second or more after recovery must be answered normally; then no
#      traffic for SETTLE s (default 120: the plugin's HTTP client keeps its pooled connections
#      30 s after its last request, the JDK's keep-alive default, and idle server threads are let
#      go after 60 s), and RSS, threads and fds must be back within 10% of the baseline.
#
#   reliability/hung-dependency-storm.sh                 # the full run, about 12 minutes
#   DURATION=60 reliability/hung-dependency-storm.sh     # a shorter storm
#   STORMS=3 DURATION=60 reliability/hung-dependency-storm.sh
#                                   # phases 2-3 twice more on the same server: what the first
#                                   # storm left must not grow (each "after" within 10% of the
#                                   # first), and no request of any storm may be let through
#
# Loopback only; every loop is bounded. Exits non-zero when a criterion fails, 0 with "SKIP" when
# the harness directory is absent. Environment: KONG_HARNESS (default ../shared/kong-harness),
# HARNESS_PREFIX (/tmp/hung-dependency-storm), PROXY_PORT (18000; the auth service listens on
# PROXY_PORT+3), SERVER_ARGS (extra plugin-server flags), STORM_LAUNCHER (the start command in
# place of the slowauth launcher, e.g. a script that sets KONG_PDK_JAVA_OPTS and runs it), OUT
# (result directory, default $HARNESS_PREFIX-results).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
K="${KONG_HARNESS:-$ROOT/../shared/kong-harness}"
if [ ! -x "$K/run-harness.sh" ]; then
  echo "SKIP hung-dependency-storm: no Kong harness at $K (set KONG_HARNESS)"
  exit 0
fi
RATE="${RATE:-200}"
WARMUP="${WARMUP:-30}"
HEALTHY="${HEALTHY:-90}"
IDLE="${IDLE:-90}"
SETTLE="${SETTLE:-120}"
DURATION="${DURATION:-300}"
RECOVERY="${RECOVERY:-120}"
STORMS="${STORMS:-1}"
AUTH_TIMEOUT_MS="${AUTH_TIMEOUT_MS:-30000}"
export HARNESS_PREFIX="${HARNESS_PREFIX:-/tmp/hung-dependency-storm}"
export PROXY_PORT="${PROXY_PORT:-18000}"
P="$HARNESS_PREFIX"
DEP_PORT=$((PROXY_PORT + 3))
OUT="${OUT:-$P-results}"
L="${STORM_LAUNCHER:-$ROOT/reliability/slow-auth/target/slowauth}"
S="$ROOT/reliability/storm.py"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

"$K/setup.sh" >/dev/null
if [ ! -x "$L" ] || [ -n "$(find "$ROOT/pdk-bridge/src/main" "$ROOT/reliability/slow-auth/src" -newer "$L" -type f 2>/dev/null | head -1)" ]; then
  echo "building $L"
  (cd "$ROOT" && ./mvnw -B -q install -DskipTests -pl reliability/slow-auth -am)
fi
rm -rf "$OUT"; mkdir -p "$OUT"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  "$K/run-harness.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

python3 "$S" dependency "$DEP_PORT" & pids+=($!)
ROUTES_JSON="[{\"path\":\"/auth\",\"plugins\":[{\"name\":\"slowauth\",\"config\":{\"url\":\"http://127.0.0.1:$DEP_PORT/check\",\"timeout\":$AUTH_TIMEOUT_MS}}]}]" \
  "$K/run-harness.sh" start "$L -kong-prefix $P --plugin slowauth ${SERVER_ARGS:-}" "$L -dump --plugin slowauth" "$P/slowauth.socket" slowauth >"$OUT/start.log" 2>&1 \
  || { cat "$OUT/start.log"; exit 1; }
SERVER="$(awk '{print $1; exit}' "$P/logs/pluginserver.pids")"
echo "Kong ${KONG_VERSION:-3.9}, plugin server pid $SERVER ($(tr '\0' ' ' < "/proc/$SERVER/cmdline" | cut -c1-200))"
TOTAL=$((WARMUP + HEALTHY + IDLE + STORMS * (DURATION + RECOVERY + SETTLE) + 120))  # ended by the cleanup once the pacers are done
python3 "$S" sample "$SERVER" "$OUT/samples.txt" "$TOTAL" & pids+=($!)
dep() { curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$DEP_PORT/$1"; }
URL="http://127.0.0.1:$PROXY_PORT/auth"
echo "warm-up: $((RATE / 4)) req/s for $WARMUP s"
python3 "$S" pace "$URL" "$((RATE / 4))" "$WARMUP" "$OUT/warmup.txt" & warmup=$!; pids+=($warmup)
sleep "$WARMUP"
T0=$(date +%s)

echo "healthy: $RATE req/s for $HEALTHY s"
python3 "$S" pace "$URL" "$RATE" "$HEALTHY" "$OUT/healthy.txt" & healthy=$!; pids+=($healthy)
sleep "$HEALTHY"
wait "$healthy"
echo "idle: $IDLE s, then the baseline"
sleep "$IDLE"
T_STORM=$(date +%s)
dep hang
echo "storm: the auth service hangs; $RATE req/s for $DURATION s"
python3 "$S" pace "$URL" "$RATE" "$DURATION" "$OUT/storm.txt" & storm=$!; pids+=($storm)
sleep "$DURATION"
T_RECOVER=$(date +%s)
dep recover
echo "recovery: the auth service answers again; $RATE req/s for $RECOVERY s"
python3 "$S" pace "$URL" "$RATE" "$RECOVERY" "$OUT/recovery.txt" & recovery=$!; pids+=($recovery)
wait "$warmup" "$storm" "$recovery"
echo "idle: $SETTLE s, then the figures after"
sleep "$SETTLE"
T_END=$(date +%s)
T_MORE=""
for ((i = 2; i <= STORMS; i++)); do
  dep hang
  echo "storm $i: $RATE req/s for $DURATION s"
  python3 "$S" pace "$URL" "$RATE" "$DURATION" "$OUT/storm$i.txt" & storm=$!; pids+=($storm)
  sleep "$DURATION"
  dep recover
  echo "recovery $i: $RECOVERY s"
  python3 "$S" pace "$URL" "$RATE" "$RECOVERY" "$OUT/recovery$i.txt" & recovery=$!; pids+=($recovery)
  wait "$storm" "$recovery"
  echo "idle: $SETTLE s, then the figures after storm $i"
  sleep "$SETTLE"
  T_MORE="$T_MORE $(date +%s)"
done
alive=yes; kill -0 "$SERVER" 2>/dev/null || alive=no
now_pid="$(awk '{print $1; exit}' "$P/logs/pluginserver.pids")"
cp "$P/logs/error.log" "$OUT/kong-error.log"

python3 - "$OUT" "$T0" "$T_STORM" "$T_RECOVER" "$T_END" "$alive" "$SERVER" "$now_pid" "$RECOVERY" "$T_MORE" <<'PY'
import statistics, sys
out, t0, t_storm, t_recover, t_end = sys.argv[1], *map(int, sys.argv[2:6])
alive, pid, now_pid, recovery = sys.argv[6], sys.argv[7], sys.argv[8], int(sys.argv[9])
t_more = [int(t) for t in sys.argv[10].split()]
def rows(name):
    # sent_at (s since that pacer started) status latency upstream allowed, plus the wall-clock
    # time of the answer
    start = float(open(f"{out}/{name}.txt.start").read())
    out_rows = []
    for l in open(f"{out}/{name}.txt"):
        r = l.split()
        r.append(start + float(r[0]) + float(r[2]))
        out_rows.append(r)
    return out_rows
samples = [l.split() for l in open(f"{out}/samples.txt") if "gone" not in l]
def window(a, b):
    s = [(int(r[1]), int(r[2]), int(r[3])) for r in samples if a <= int(r[0]) < b]
    return tuple(statistics.median(x[i] for x in s) for i in range(3)) if s else (0, 0, 0)
base = window(t_storm - 10, t_storm)
after = window(t_end - 10, t_end)
storm_s = [(int(r[1]), int(r[2]), int(r[3])) for r in samples if t_storm <= int(r[0]) < t_recover]
peak = tuple(max(x[i] for x in storm_s) for i in range(3)) if storm_s else (0, 0, 0)
storm = rows("storm")
before = [r for r in storm if r[5] < t_recover]
codes = {}
for r in before:
    codes[r[1]] = codes.get(r[1], 0) + 1
after_codes = {}
for r in storm:
    if r[5] >= t_recover:
        key = r[1] + ("+yes" if r[4] == "1" else "")
        after_codes[key] = after_codes.get(key, 0) + 1
lat = sorted(float(r[2]) for r in storm)
upstream = sum(int(r[3]) for r in before)
fast = sum(1 for r in before if float(r[2]) < 1.0)
everything = rows("warmup") + rows("healthy") + storm + rows("recovery")
for i in range(2, len(t_more) + 2):
    everything += rows(f"storm{i}") + rows(f"recovery{i}")
unvetted = sum(1 for r in everything if r[3] == "1" and r[4] != "1")
rec = rows("recovery")
ok = [r for r in rec if r[1] == "200" and r[3] == "1"]
late = [r for r in rec if float(r[0]) >= 1.0]
late_normal = [r for r in late if r[1] == "200" and r[3] == "1" and r[4] == "1"]
late_ok = [r for r in late_normal if float(r[2]) < 1.0]
first_ok = min((float(r[0]) + float(r[2]) for r in ok), default=None)
healthy = rows("healthy")
h_ok = sum(1 for r in healthy if r[1] == "200")
kong = open(f"{out}/kong-error.log", errors="replace").read()
no_data = kong.count("no data")
def pct(a, b):
    return 100.0 * (a - b) / b if b else float("inf")
lines = []
warm = rows("warmup")
lines.append(f"warm-up: {len(warm)} requests, {sum(1 for r in warm if r[1] == '200')} answered 200 by the upstream")
lines.append(f"healthy: {len(healthy)} requests, {h_ok} answered 200 by the upstream")
lines.append(f"storm: {len(storm)} requests in {t_recover - t_storm} s; answered before recovery: {len(before)}, {codes},"
             f" reached the upstream: {upstream}, within 1 s (shed): {fast}; still waiting at recovery: {after_codes}")
lines.append(f"storm: latency p50 {lat[len(lat)//2]:.2f} s, p99 {lat[int(len(lat)*0.99)]:.2f} s, max {lat[-1]:.2f} s")
lines.append(f"upstream reached without the plugin's yes (fail open), whole run: {unvetted}")
lines.append(f"Kong 'no data' (Kong gave up on the plugin server): {no_data}")
connect_failed = kong.count("trying to connect")
lines.append(f"Kong 'trying to connect' (the server's accept backlog overflowed; Kong fails open): {connect_failed}")
lines.append(f"recovery: {len(rec)} requests; first normal answer {first_ok:.2f} s after recovery;"
             if first_ok is not None else "recovery: no normal answer")
late_lat = sorted(float(r[2]) for r in late)
lines.append(f"recovery: sent 1 s or more after recovery: {len(late)}, answered normally (200 with the plugin's yes):"
             f" {len(late_normal)}, within 1 s: {len(late_ok)}; latency p50 {late_lat[len(late_lat)//2]:.3f} s,"
             f" p99 {late_lat[int(len(late_lat)*0.99)]:.3f} s, max {late_lat[-1]:.3f} s")
lines.append(f"plugin server pid {pid} {'alive' if alive == 'yes' else 'DEAD'}, same process at the end: {pid == now_pid}")
lines.append(f"RSS KiB / threads / fds, idle: baseline {base[0]:.0f} / {base[1]:.0f} / {base[2]:.0f};"
             f" storm peak {peak[0]} / {peak[1]} / {peak[2]};"
             f" after {after[0]:.0f} / {after[1]:.0f} / {after[2]:.0f}"
             f" ({pct(after[0], base[0]):+.1f}% / {pct(after[1], base[1]):+.1f}% / {pct(after[2], base[2]):+.1f}%)")
fail = []
if alive != "yes" or pid != now_pid: fail.append("the plugin server died or was restarted")
if set(codes) != {"500"}: fail.append("a storm request got something other than the fail-closed 500")
if upstream or unvetted: fail.append("a request reached the upstream without the plugin's yes")
if lat and lat[-1] > 56.0: fail.append("a storm request waited past the 55 s limit")
if no_data: fail.append("Kong gave up on the plugin server ('no data')")
if first_ok is None or first_ok > 1.0: fail.append("no normal answer within 1 s of recovery")
if len(late_normal) < len(late): fail.append("a request sent after recovery was not answered normally")
for name, a, b in (("RSS", after[0], base[0]), ("threads", after[1], base[1]), ("fds", after[2], base[2])):
    if pct(a, b) > 10: fail.append(f"{name} not back within 10% of baseline")  # below it is back too
for i, t in enumerate(t_more, start=2):
    more = window(t - 10, t)
    lines.append(f"after storm {i}: RSS KiB / threads / fds {more[0]:.0f} / {more[1]:.0f} / {more[2]:.0f}"
                 f" ({pct(more[0], base[0]):+.1f}% / {pct(more[1], base[1]):+.1f}% / {pct(more[2], base[2]):+.1f}% against"
                 f" the baseline, {pct(more[0], after[0]):+.1f}% RSS against after the first)")
    if pct(more[0], after[0]) > 10: fail.append(f"RSS grew by more than 10% from the first storm's after to storm {i}'s")
    if pct(more[2], base[2]) > 10: fail.append(f"fds not back within 10% of baseline after storm {i}")
lines.append("result: " + ("PASSED" if not fail else "FAILED: " + "; ".join(fail)))
text = "\n".join(lines)
print(text)
open(f"{out}/summary.txt", "w").write(text + "\n")
sys.exit(1 if fail else 0)
PY
