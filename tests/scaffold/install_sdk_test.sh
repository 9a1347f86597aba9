#!/usr/bin/env bash
# scripts/install-sdk PREFIX installs the SDK without the server's build tree: it configures
# sdk/ alone in a temporary folder, writes nothing into the checkout, and the package it
# installs is found by a plugin project (tests/sdk_consumer, configured against it alone) and
# carries the server's version.
# Usage: install_sdk_test.sh SOURCE_DIR
set -euo pipefail
source=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}

touch "$work/before"
sleep 1 # file times have a resolution of a second on some file systems
"$source/scripts/install-sdk" "$work/sdk" >"$work/install.log" 2>&1 || {
  cat "$work/install.log"
  fail "scripts/install-sdk failed"
}
cat "$work/install.log"
written=$(find "$source/sdk" "$source/scripts" -newer "$work/before" -print)
[ -z "$written" ] || fail "scripts/install-sdk wrote into the checkout: $written"

for file in include/actionhost/abi.h include/actionhost/sdk.hpp lib/cmake/actionhost-sdk/actionhost-sdkConfig.cmake \
  lib/cmake/actionhost-sdk/ActionhostAddPlugin.cmake bin/actionhost-new-plugin share/doc/actionhost/sdk/README.md; do
  [ -f "$work/sdk/$file" ] || fail "$file is not installed"
done
version=$(sed -n 's/^project(actionhost VERSION \([0-9.]*\).*/\1/p' "$source/CMakeLists.txt")
grep -qF "set(PACKAGE_VERSION \"$version\")" "$work/sdk/lib/cmake/actionhost-sdk/actionhost-sdkConfigVersion.cmake" ||
  fail "the installed package's version is not the server's ($version)"
[ -z "$(find "$work/sdk" -name '*.so' -o -name actionhost -type f)" ] || fail "install-sdk installed more than the SDK"

cmake -S "$source/tests/sdk_consumer" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/sdk" \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$work/configure.log" 2>&1 || {
  cat "$work/configure.log"
  fail "a plugin project does not configure against the SDK install-sdk installed"
}
grep -q "actionhost-sdk_DIR:PATH=$work/sdk/lib/cmake/actionhost-sdk" "$work/build/CMakeCache.txt" ||
  fail "the plugin project found another actionhost-sdk: $(grep actionhost-sdk_DIR "$work/build/CMakeCache.txt")"

output=$("$source/scripts/install-sdk" 2>&1) && fail "install-sdk without PREFIX succeeded"
grep -q "usage:" <<<"$output" || fail "install-sdk without PREFIX said: $output"
echo "PASS: scripts/install-sdk installs the SDK alone ($version), writing nothing into the checkout"
