#!/usr/bin/env bash
# Installs the pinned actionhero Node client into BUILD_DIR/interop and runs the interop
# test against BUILD_DIR/actionhost.
# Usage: run.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
source=$2
work="$build/interop"
mkdir -p "$work"
cp "$source/tests/interop/package.json" "$source/tests/interop/package-lock.json" \
   "$source/tests/interop/interop.test.mjs" "$work/"
cd "$work"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
ACTIONHOST_BINARY="$build/actionhost" \
ACTIONHOST_CONFIG="$source/config/actionhost.toml" \
ACTIONHOST_PLUGIN_DIR="$build/plugins" \
  node --test interop.test.mjs
