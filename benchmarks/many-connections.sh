#!/bin/sh
# The many-connections case of docs/reliability.md: thousands of connections that each send one
# byte of a request and hold, against the hello plugin served by the kit's own launcher with its
# default flags (128 MiB heap). Checks that the connections Kong already has and new ones are
# answered within a second, and that RSS, threads and open files come back within 10% of their
# baseline. Writes benchmarks/results/many-connections.txt. About 2 minutes on 2 vCPUs.
#
#   benchmarks/many-connections.sh                 5,000 connections held 15 s
#   CONNECTIONS=10000 HOLD_SECONDS=30 benchmarks/many-connections.sh
#
# Java, the build and the launcher: benchmarks/hello-launcher.sh (SKIP_BUILD=1 uses the jars built).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work="$here/target/many-connections"
results="$here/results"
. "$here/hello-launcher.sh"
# the client holds a descriptor per connection
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
"$JAVA_HOME/bin/java" -cp "$here/driver/target/bench-driver.jar" \
  dev.kongpdk.benchmarks.driver.ManyConnections \
  --socket "$work/hello.socket" --out "$results/many-connections.txt" \
  --connections "${CONNECTIONS:-5000}" --hold-seconds "${HOLD_SECONDS:-15}" \
  --settle-seconds "${SETTLE_SECONDS:-90}" \
  -- "$work/hello" --socket "$work/hello.socket"
