#!/usr/bin/env bash
# From nothing to a served action, as a new plugin author goes (the issue's "done when"):
#   1. the SDK installed from the build tree (cmake --install BUILD --component sdk --prefix SDK)
#   2. scripts/new-plugin --prefix SDK hello HELLO
#   3. the generated README's "Build, test and install" commands, run as they are written
#      there (configure against SDK, build, the project's own ctest, install into SDK's
#      plugins folder), with the server on PATH so that the project's test hello_loads runs
#   4. the real server, with plugins.dir = that folder, answers `hello` over TCP.
# Steps 2 to 4 must take under LIMIT seconds (default 60); the time is printed. LIMIT 0 only
# prints it (the sanitizer builds, whose server is several times slower).
# Usage: new_plugin_served_test.sh BUILD_DIR SOURCE_DIR ACTIONHOST_BINARY [LIMIT]
set -euo pipefail
build=$1
source=$2
actionhost=$3
limit=${4:-60}

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=server.sh
source "$here/server.sh"  # work, its cleanup, fail
now() { date +%s.%N; }
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

t_sdk=$(now)
cmake --install "$build" --component sdk --prefix "$work/sdk" >"$work/install-sdk.log" 2>&1 || {
  cat "$work/install-sdk.log"
  fail "installing the SDK from $build failed"
}
sdk_seconds=$(seconds_since "$t_sdk")
echo "installed the SDK into $work/sdk in $sdk_seconds s"

t0=$(now)
"$source/scripts/new-plugin" --prefix "$work/sdk" hello "$work/hello" || fail "scripts/new-plugin failed"

# The README's commands: the first ```sh block of its section "Build, test and install".
awk '/^## Build, test and install/ { section = 1; next }
     /^## / { section = 0 }
     section && /^```sh$/ && !done { block = 1; next }
     block && /^```$/ { block = 0; done = 1; next }
     block { print }' "$work/hello/README.md" >"$work/commands.sh"
[ -s "$work/commands.sh" ] || {
  cat "$work/hello/README.md"
  fail "no \`\`\`sh block under \"## Build, test and install\" in the generated README (above)"
}
for word in "cmake -S" "cmake --build" "ctest" "cmake --install"; do
  grep -qF -- "$word" "$work/commands.sh" || fail "the README's commands have no '$word':"$'\n'"$(cat "$work/commands.sh")"
done
echo "the generated README's commands:"
sed 's/^/  /' "$work/commands.sh"

# The server beside the SDK's user, on PATH, as an installed one would be.
mkdir "$work/bin"
ln -s "$actionhost" "$work/bin/actionhost"
(cd "$work/hello" && PATH="$work/bin:$PATH" bash -euo pipefail -x "$work/commands.sh") >"$work/commands.log" 2>&1 || {
  cat "$work/commands.log"
  fail "the README's commands failed (above)"
}
for test_name in hello_loads Answer.SaysHelloFromThePlugin; do
  grep -qE "Test +#[0-9]+: $test_name .* Passed" "$work/commands.log" || {
    cat "$work/commands.log"
    fail "the project's ctest did not run and pass $test_name (above)"
  }
done
grep -E "tests passed" "$work/commands.log"

plugin=$(find "$work/sdk" -name hello.so -path '*/actionhost/plugins/*')
[ -n "$plugin" ] || {
  cat "$work/commands.log"
  fail "the README's install did not put hello.so into a plugins folder under $work/sdk"
}
plugins_dir=$(dirname "$plugin")
echo "the README's install wrote $plugin"

start_server "$work/server.log" "$actionhost" --config "$source/config/actionhost.toml" \
  --set socket.port=0 --set socket.bind=127.0.0.1 --set server.supervise=false \
  --set "plugins.dir=\"$plugins_dir\""
grep -q 'loaded plugin hello 0.1.0' "$work/server.log" || {
  cat "$work/server.log"
  fail "the server's log does not say it loaded hello 0.1.0"
}
python3 "$here/ask.py" "$server_port" \
  hello '{"message":"hello from hello","greeting":"hello, world","context":"response"}' \
  '{"action":"hello","params":{"who":"scaffold"}}' '{"message":"hello from hello","greeting":"hello, scaffold"}' \
  "paramAdd who=$(printf 'x%.0s' {1..65})" '{"status":"OK"}' \
  hello '{"error":"Error: who should be at most 64 characters"}' ||
  {
    cat "$work/server.log"
    fail "hello was not answered as it should be (above)"
  }
elapsed=$(seconds_since "$t0")
stop_server || {
  cat "$work/server.log"
  exit 1
}

echo "new-plugin -> built, tested, installed -> hello served: $elapsed s (limit $limit s; the SDK install before took $sdk_seconds s)"
awk -v e="$elapsed" -v l="$limit" 'BEGIN { exit !(l == 0 || e < l) }' || fail "it took $elapsed s, over $limit s"
echo "PASS: scripts/new-plugin hello, the README's commands and the server serve hello in $elapsed s"
