#!/usr/bin/env bash
# Runs docs/getting-started.md as a reader would: every ```sh block, in order, in one shell, in a
# fresh directory that holds this checkout as kong-java-pdk. Then checks what the page says the
# commands print:
#   <!-- prints -->                  the next block equals the stdout of the last sh block
#   <!-- prints, among other lines --> each line of the next block is a line of that stdout
#   <!-- file: PATH -->              the next block equals the file PATH (after all blocks ran)
# Maven runs with the caller's settings (MAVEN_OPTS, ~/.m2), so the kit it installs is the one
# the plugin's build resolves.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
page="$root/docs/getting-started.md"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
ln -s "$root" "$work/kong-java-pdk"
mkdir "$work/.check"
check="$work/.check"

# Split the page into numbered items: NNN.kind (sh, prints, contains, file) and NNN.body.
awk -v dir="$check" '
  /^<!-- prints -->$/ { pending = "prints"; next }
  /^<!-- prints, among other lines -->$/ { pending = "contains"; next }
  /^<!-- file: .* -->$/ { pending = "file"; path = $3; next }
  /^```/ && !inblock {
    lang = substr($0, 4); inblock = 1; n++
    kind = pending != "" ? pending : (lang == "sh" ? "sh" : "")
    file = sprintf("%s/%03d", dir, n)
    if (kind != "") { printf "%s", kind > (file ".kind"); if (kind == "file") printf "%s", path > (file ".path") }
    printf "" > (file ".body")
    pending = ""; next
  }
  /^```/ && inblock { inblock = 0; next }
  inblock { print >> (file ".body") }
' "$page"

# One shell script: each sh block with its stdout kept, each check right after its command.
runner="$check/run.sh"
{
  echo 'set -e'
  # A file without its trailing blank lines.
  echo 'trim() { awk '"'"'{ l[NR] = $0 } END { n = NR; while (n > 0 && l[n] == "") n--; for (i = 1; i <= n; i++) print l[i] }'"'"' "$1"; }'
  last=""
  for kind_file in "$check"/*.kind; do
    item="${kind_file%.kind}"
    case "$(cat "$kind_file")" in
      sh)
        last="$item.out"
        echo "echo '--- getting-started: running block $(basename "$item")' >&2"
        echo "{"
        cat "$item.body"
        echo "} > '$last' || { echo 'FAILED: this block of docs/getting-started.md:' >&2; cat '$item.body' >&2; cat '$last' | tail -40 >&2; exit 1; }"
        ;;
      prints)
        echo "if ! diff <(trim '$item.body') <(trim '$last') >&2; then echo 'FAILED: the output above differs from what docs/getting-started.md shows (< page, > actual)' >&2; exit 1; fi"
        ;;
      contains)
        echo "while IFS= read -r line; do grep -qxF -- \"\$line\" '$last' || { echo \"FAILED: docs/getting-started.md shows '\$line', the command did not print it\" >&2; tail -60 '$last' >&2; exit 1; }; done < '$item.body'"
        ;;
      file) ;;
    esac
  done
} > "$runner"

(cd "$work" && bash "$runner") || exit 1

for path_file in "$check"/*.path; do
  item="${path_file%.path}"
  path="$(cat "$path_file")"
  if ! diff "$item.body" "$work/$path" >&2; then
    echo "FAILED: $path differs from what docs/getting-started.md shows (< page, > actual)" >&2
    exit 1
  fi
done
blocks=$(grep -l '^sh$' "$check"/*.kind | wc -l)
checks=$(grep -lv '^sh$' "$check"/*.kind | wc -l)
echo "getting-started: ${blocks} command blocks ran and ${checks} shown outputs matched"
