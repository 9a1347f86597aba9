#!/usr/bin/env bash
# scripts/new-plugin refuses, saying what is allowed, names that cannot be a plugin's and its
# action's (not an identifier, a protocol verb, a name CMake reserves), and a folder that is
# not empty; it writes nothing then. An empty folder is used.
# Usage: new_plugin_refuses_test.sh SOURCE_DIR
set -euo pipefail
new_plugin="$1/scripts/new-plugin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}

# refused NAME EXPECTED_TEXT: new-plugin NAME exits non-zero, says EXPECTED_TEXT, writes nothing.
refused() {
  local name=$1 expected=$2 output status
  output=$("$new_plugin" "$name" "$work/out" 2>&1) && status=0 || status=$?
  [ "$status" -ne 0 ] || fail "new-plugin accepted the name '$name'"
  grep -qF -- "$expected" <<<"$output" || fail "for '$name', new-plugin said: $output (expected: $expected)"
  [ ! -e "$work/out" ] || fail "new-plugin '$name' was refused but wrote $work/out"
  [ -z "$(find "$work" -mindepth 1 -maxdepth 1 -name '.new-plugin.*')" ] || fail "new-plugin '$name' left a staging folder"
  echo "refused '$name': $output"
}
allowed="letters, digits and single underscores, starting with a letter"
refused "" "$allowed"
refused 1hello "$allowed"
refused hello-world "$allowed"
refused "hello world" "$allowed"
refused hello.so "$allowed"
refused hel__lo "$allowed"
refused hello_ "$allowed"
refused _hello "$allowed"
refused "../evil" "$allowed"
refused "$(printf 'a%.0s' {1..65})" "at most 64 characters"
refused roomAdd "it is a verb of the protocol"
refused quit "it is a verb of the protocol"
refused all "CMake reserves it"
refused test "CMake reserves it"

# A folder that is not empty is never written into.
mkdir "$work/taken"
echo "mine" >"$work/taken/notes.txt"
output=$("$new_plugin" hello "$work/taken" 2>&1) && fail "new-plugin wrote into a folder that is not empty: $output"
grep -qF "is not empty" <<<"$output" || fail "new-plugin said: $output (expected: is not empty)"
if [ "$(ls -A "$work/taken")" != "notes.txt" ] || [ "$(cat "$work/taken/notes.txt")" != "mine" ]; then
  fail "new-plugin changed the folder it refused"
fi
echo "refused a folder that is not empty: $output"
echo "file" >"$work/a-file"
output=$("$new_plugin" hello "$work/a-file" 2>&1) && fail "new-plugin accepted a file as DIR: $output"
echo "refused a file as DIR: $output"

# Usage errors.
output=$("$new_plugin" 2>&1) && fail "new-plugin without NAME succeeded"
grep -q "usage:" <<<"$output" || fail "new-plugin without NAME said: $output"

# Good names, into an empty folder and a new one (DIR defaults to ./NAME).
mkdir "$work/empty"
"$new_plugin" greetUser "$work/empty" >/dev/null || fail "new-plugin greetUser into an empty folder failed"
(cd "$work" && "$new_plugin" order_status2 >/dev/null) || fail "new-plugin order_status2 (DIR ./order_status2) failed"
for project in "$work/empty:greetUser" "$work/order_status2:order_status2"; do
  dir=${project%%:*}
  name=${project##*:}
  for file in CMakeLists.txt "$name.cpp" "$name.hpp" "test/${name}_test.cpp" README.md .gitignore; do
    [ -s "$dir/$file" ] || fail "new-plugin $name did not write $file in $dir"
  done
  grep -q "ACTIONHOST_PLUGIN(\"$name\"" "$dir/$name.cpp" || fail "$dir/$name.cpp does not define the plugin $name"
  grep -q ".name = \"$name\"" "$dir/$name.cpp" || fail "$dir/$name.cpp does not define the action $name"
  ! grep -rq '@NAME@\|@PREFIX@' "$dir" || fail "placeholders left in $dir: $(grep -rl '@NAME@\|@PREFIX@' "$dir")"
done
echo "PASS: new-plugin refuses bad names and folders that are not empty, and writes good ones"
