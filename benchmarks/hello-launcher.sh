# Sourced by many-connections.sh and hostile-peers.sh, which set here, root, work and results:
# finds Java 21+ (JAVA_HOME or a Temurin 25 under /usr/lib/jvm), builds the driver and the hello
# plugin from source in the benchmarks reactor (unless SKIP_BUILD=1; nothing is installed into any
# Maven repository), and writes $work/hello: the hello plugin exactly as an author ships it, the
# kit's launcher with the jar appended.
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
cat "$root/pdk-bridge/src/main/resources/dev/kongpdk/bridge/launcher.sh" \
  "$here/bench-plugin/target/bench-hello.jar" > "$work/hello"
chmod 755 "$work/hello"
