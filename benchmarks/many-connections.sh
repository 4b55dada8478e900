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
# Needs Java 21+ (JAVA_HOME or a Temurin 25 under /usr/lib/jvm). Builds the kit's modules from
# source in the benchmarks reactor: nothing is installed into any Maven repository.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work="$here/target/many-connections"
results="$here/results"

if [ -z "${JAVA_HOME:-}" ]; then
  for j in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk*; do
    if [ -x "$j/bin/java" ]; then JAVA_HOME=$j; break; fi
  done
fi
export JAVA_HOME

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$root" && ./mvnw -B -q -f benchmarks/pom.xml package -DskipTests -pl driver,bench-plugin -am)
fi
rm -rf "$work" && mkdir -p "$work" "$results"
# The hello plugin exactly as an author ships it: the kit's launcher with the jar appended.
cat "$root/pdk-bridge/src/main/resources/dev/kongpdk/bridge/launcher.sh" \
  "$here/bench-plugin/target/bench-hello.jar" > "$work/hello"
chmod 755 "$work/hello"
# the client holds a descriptor per connection
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
"$JAVA_HOME/bin/java" -cp "$here/driver/target/bench-driver.jar" \
  dev.kongpdk.benchmarks.driver.ManyConnections \
  --socket "$work/hello.socket" --out "$results/many-connections.txt" \
  --connections "${CONNECTIONS:-5000}" --hold-seconds "${HOLD_SECONDS:-15}" \
  --settle-seconds "${SETTLE_SECONDS:-90}" \
  -- "$work/hello" --socket "$work/hello.socket"
