#!/bin/sh
# Kong plugin server launcher: this file is a shell script with the plugin's jar appended.
# Kong starts it with an almost empty environment (no PATH, no JAVA_HOME), so it finds Java
# itself and uses absolute paths only. Override with KONG_PDK_JAVA (a java binary) and
# KONG_PDK_JAVA_OPTS (JVM flags) where the environment can be set.
self="$0"
opts=${KONG_PDK_JAVA_OPTS:--XX:+UseSerialGC -Xms16m -Xmx128m -XX:+ExitOnOutOfMemoryError -Xshare:auto}
for java in "$KONG_PDK_JAVA" "${JAVA_HOME:+$JAVA_HOME/bin/java}" /opt/java/openjdk/bin/java \
    /usr/lib/jvm/*[-_]2[5-9][-._]*/bin/java /usr/lib/jvm/*[-_]2[5-9]/bin/java \
    /usr/lib/jvm/*[-_]2[1-4][-._]*/bin/java /usr/lib/jvm/*[-_]2[1-4]/bin/java \
    /usr/lib/jvm/default-java/bin/java /usr/local/bin/java /usr/bin/java; do
  if [ -n "$java" ] && [ -x "$java" ]; then
    # shellcheck disable=SC2086
    exec "$java" $opts -jar "$self" "$@"
  fi
done
echo "$self: no Java runtime found (Java 21 or newer is needed); set KONG_PDK_JAVA or JAVA_HOME" >&2
exit 127
