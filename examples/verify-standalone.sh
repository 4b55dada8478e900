#!/usr/bin/env bash
# Builds every example the way a user does: the kit installed into a throwaway local Maven
# repository, each example copied outside this repository and built there with its tests.
#
#   examples/verify-standalone.sh            (a fresh repository: downloads every dependency)
#   VERIFY_REPO=/tmp/m2 examples/verify-standalone.sh   (reuse, and keep, that repository)
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
work="$(mktemp -d)"
repo="${VERIFY_REPO:-$work/m2}"
trap 'rm -rf "$work"' EXIT

echo "installing the kit into $repo"
if ! "$root/mvnw" -B -q -f "$root/pom.xml" -Dmaven.repo.local="$repo" -DskipTests install \
    -pl .,pdk-bom,pdk-api,pdk-processor,pdk-bridge,pdk-testkit,pdk-maven-plugin; then
  echo "FAILED: installing the kit" >&2
  exit 1
fi

passed=0
failed=0
for dir in "$root"/examples/*/; do
  name="$(basename "$dir")"
  [ -f "$dir/pom.xml" ] || continue
  mkdir -p "$work/copies"
  cp -r "$dir" "$work/copies/$name"
  rm -rf "$work/copies/$name/target"
  if (cd "$work/copies/$name" && "$root/mvnw" -B -q -Dmaven.repo.local="$repo" verify >"$work/$name.log" 2>&1); then
    tests=$(cat "$work/copies/$name"/target/surefire-reports/TEST-*.xml "$work/copies/$name"/target/failsafe-reports/TEST-*.xml | grep -o '<testsuite [^>]*' \
      | grep -o ' tests="[0-9]*"' | grep -o '[0-9][0-9]*' | awk '{ n += $1 } END { print n }')
    echo "$name: built and passed its $tests tests outside the repository"
    passed=$((passed + 1))
  else
    echo "$name: FAILED (last lines of its build follow)"
    tail -40 "$work/$name.log"
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
