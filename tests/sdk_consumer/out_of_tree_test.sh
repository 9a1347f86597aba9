#!/usr/bin/env bash
# Installs the SDK from the build tree, builds tests/sdk_consumer against the installed
# package alone, and has the server load the result.
# Usage: out_of_tree_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --component sdk --prefix "$work/sdk" >/dev/null
cmake -S "$source/tests/sdk_consumer" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/sdk" \
      -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/build" >/dev/null
test -f "$work/build/hello.so" || { echo "FAIL: hello.so was not built"; exit 1; }

mkdir "$work/plugins"
cp "$work/build/hello.so" "$work/plugins/"
output=$("$build/actionhost" --check --config "$source/config/actionhost.toml" \
           --set "plugins.dir=$work/plugins" 2>&1) || { echo "FAIL: --check failed:"; echo "$output"; exit 1; }
echo "$output"
grep -q "hello.so: hello 0.1.0" <<<"$output" || { echo "FAIL: hello.so was not loaded"; exit 1; }
grep -q "    hello v1" <<<"$output" || { echo "FAIL: action hello v1 was not listed"; exit 1; }
echo "PASS: a plugin built out of tree against the installed SDK loads"
