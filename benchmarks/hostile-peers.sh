#!/bin/sh
# The hostile peers of docs/reliability.md ("Peer limits"), one after the other, against the hello
# plugin served by the kit's own launcher with its default flags (128 MiB heap): string headers
# announcing 64 MiB, a message of two 60 MB strings, 1.5 MB of small nested maps, seven 10 MB
# configs, 200 events abandoned mid-call. Checks that each is refused and counted, that Kong's
# connections are answered within a second meanwhile, that the server stays up, and that RSS,
# threads and open files come back within 10% of their baseline after each (idle threads end after
# a minute; abandoned events after their 55 s limit). Writes benchmarks/results/hostile-peers.txt.
# About 5 minutes on 2 vCPUs.
#
#   benchmarks/hostile-peers.sh
#   SETTLE_SECONDS=200 benchmarks/hostile-peers.sh   (the longest wait for each case to come back)
#
# Java, the build and the launcher: benchmarks/hello-launcher.sh (SKIP_BUILD=1 uses the jars built).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work="$here/target/hostile-peers"
results="$here/results"
. "$here/hello-launcher.sh"
"$JAVA_HOME/bin/java" -cp "$here/driver/target/bench-driver.jar" \
  dev.kongpdk.benchmarks.driver.HostilePeers \
  --socket "$work/hello.socket" --out "$results/hostile-peers.txt" \
  --settle-seconds "${SETTLE_SECONDS:-150}" \
  -- "$work/hello" --socket "$work/hello.socket"
