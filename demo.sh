#!/bin/sh
# The README's first command: build the kit and install it into the local Maven repository (so
# plugins outside this repository find it, docs/getting-started.md), then start the hello
# example's plugin server through its real launcher, as Kong would, and send one simulated request
# through it over its Unix socket. Prints the request, every PDK call the plugin makes with the
# simulated Kong's answer, the request that went upstream, and the client's response.
set -eu
cd "$(dirname "$0")"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME

./mvnw -B -q -DskipTests install

./mvnw -B -q -f examples/hello/pom.xml pdk:simulate \
  -Dpdk.config='{"message":"hi"}' \
  -Dpdk.request="GET http://example.com/hello?x=1" \
  -Dpdk.headers="X-Name: alice"
