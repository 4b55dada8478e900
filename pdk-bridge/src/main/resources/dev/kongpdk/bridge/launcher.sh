#!/bin/sh
# Kong plugin server launcher: this file is a shell script with the plugin's jar appended.
# Kong starts it with an almost empty environment (no PATH, no JAVA_HOME), so it finds Java
# itself and uses absolute paths only. Override with KONG_PDK_JAVA (a java binary) and
# KONG_PDK_JAVA_OPTS (JVM flags, replacing all the defaults below) where the environment can be set.
#
# Default flags, chosen with benchmarks/run.sh (docs/performance.md): a small serial-GC heap
# that a full collection shrinks at once to what it holds plus 10-20% (the server asks for one
# after a burst of connections or messages is over, so RSS comes back: docs/reliability.md);
# glibc heap trimmed and limited to one malloc arena (native memory is most of the RSS; a second
# arena measured 1.5-7 MiB more under load and no less CPU);
# warnings on stderr only (CDS notes left out), as stdout
# carries -dump's JSON. Serving compiles with C2 only (-XX:-TieredCompilation): through Kong it
# measured 4-6 MiB less RSS under load at the same CPU per request, and after a storm of waiting
# handlers RSS came back to within 5% of its baseline instead of 7-10% above it (fewer
# compilations during the storm, docs/reliability.md); the price is a slower warm-up, the code
# interpreted for its first 10,000 calls or so (docs/performance.md).
# -dump compiles with C1 only, it exits before C2 would pay off.
# Class data sharing: a dynamic CDS archive next to this file (.NAME.jsa), created on the first
# run where that directory is writable (e.g. run "NAME -dump" once after installing) and only
# read afterwards; it roughly quarters the time of -dump. A launcher newer than its archive (the
# plugin was upgraded) makes the archive anew. KONG_PDK_CDS_DIR moves it.
self="$0"
# Installed (or linked) as query_NAME, it answers Kong 2.8's default query command: NAME -dump.
case "${self##*/}" in
  query_*) set -- -dump "$@" ;;
esac
java_bin=
for candidate in "$KONG_PDK_JAVA" "${JAVA_HOME:+$JAVA_HOME/bin/java}" /opt/java/openjdk/bin/java \
    /usr/lib/jvm/*[-_]2[5-9][-._]*/bin/java /usr/lib/jvm/*[-_]2[5-9]/bin/java \
    /usr/lib/jvm/*[-_]2[1-4][-._]*/bin/java /usr/lib/jvm/*[-_]2[1-4]/bin/java \
    /usr/lib/jvm/default-java/bin/java /usr/local/bin/java /usr/bin/java; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    java_bin=$candidate
    break
  fi
done
if [ -z "$java_bin" ]; then
  echo "$self: no Java runtime found (Java 21 or newer is needed); set KONG_PDK_JAVA or JAVA_HOME" >&2
  exit 127
fi
# The Java feature version, from the runtime's release file (no process started to ask).
java_major=0
if [ -r "${java_bin%/bin/java}/release" ]; then
  while IFS= read -r line; do
    case "$line" in
      JAVA_VERSION=*) v=${line#JAVA_VERSION=}; v=${v#\"}; java_major=${v%%[.\"]*} ;;
    esac
  done < "${java_bin%/bin/java}/release"
fi
if [ -n "$KONG_PDK_JAVA_OPTS" ]; then
  opts=$KONG_PDK_JAVA_OPTS
else
  export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
  opts="-XX:+UseSerialGC -XX:-ShrinkHeapInSteps -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -Xms8m -Xmx128m -XX:+ExitOnOutOfMemoryError -Xss512k"
  opts="$opts -XX:+IgnoreUnrecognizedVMOptions -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=1000"
  opts="$opts -Xlog:disable -Xlog:all=warning,cds=off,cds+dynamic=off:stderr"
  # msgpack-core reads memory through sun.misc.Unsafe; Java 23+ warns about that on every start
  # (into Kong's log) unless it is allowed. Older runtimes do not know the option.
  if [ "$java_major" -ge 23 ] 2>/dev/null; then
    opts="$opts --sun-misc-unsafe-memory-access=allow"
  fi
  jsa="${KONG_PDK_CDS_DIR:-${self%/*}}/.${self##*/}.jsa"
  if [ -f "$jsa" ] && [ "$self" -nt "$jsa" ] && [ -w "${jsa%/*}" ]; then
    # The plugin was replaced since the archive was made. The JVM would refuse the old archive
    # for the changed jar but never make a new one (Java 25 only recreates archives it cannot
    # read), so every later start would load all classes from the jar: make it anew at exit.
    opts="$opts -XX:ArchiveClassesAtExit=$jsa"
  elif [ -w "${jsa%/*}" ] || [ -r "$jsa" ]; then
    opts="$opts -XX:SharedArchiveFile=$jsa -XX:+AutoCreateSharedArchive"
  else
    opts="$opts -Xshare:auto"
  fi
  jit="-XX:-TieredCompilation"
  for arg in "$@"; do
    case "$arg" in
      -dump|--dump) jit="-XX:TieredStopAtLevel=1" ;;
    esac
  done
  opts="$opts $jit"
fi
# shellcheck disable=SC2086
exec "$java_bin" $opts -jar "$self" "$@"
