#!/bin/sh
# The main job: build the kit and the hello plugin, start hello's plugin server (its real launcher,
# as Kong would), and send one simulated request through it over its Unix socket. Prints every
# PDK call the plugin makes with the simulated Kong's answer, then the client's response.
set -eu
cd "$(dirname "$0")"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME

./mvnw -B -q -DskipTests package

"$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow \
  -cp "pdk-testkit/target/classes:$(cat pdk-testkit/target/simulator.classpath)" \
  dev.kongpdk.testkit.Simulator \
  --server-cmd examples/hello/target/hello \
  --config '{"message":"hi"}' \
  --request "GET http://example.com/hello?x=1" \
  --header "X-Name: alice"
