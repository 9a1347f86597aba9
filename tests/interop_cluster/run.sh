#!/usr/bin/env bash
# One cluster of a real actionhero 20.0.0 server (from npm) and BUILD_DIR/actionhost sharing a
# redis-server (SPEC §9): installs actionhero 20.0.0 into BUILD_DIR/interop-cluster, generates
# its project there (once), adds the test's actions, configures it and runs cluster.test.mjs.
# Usage: run.sh BUILD_DIR SOURCE_DIR
# Exit code 77 (a skip for ctest) only when npm cannot reach the registry.
set -euo pipefail
build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
here="$source/tests/interop_cluster"
work="$build/interop-cluster"

for tool in node npm redis-server redis-cli; do
  command -v "$tool" >/dev/null || { echo "interop-cluster: $tool is not installed (needed by this test)" >&2; exit 1; }
done

mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$here/cluster.test.mjs" "$work/"

# The plugins actionhost serves: the shipped ones and extender.so (cacheOps, chatOps).
rm -rf "$work/plugins"
mkdir -p "$work/plugins"
cp "$build"/plugins/*.so "$build/test-plugins/extender.so" "$work/plugins/"

cd "$work"
if ! npm ci --no-audit --no-fund --loglevel=error --fetch-retries=1 --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=10000 --fetch-timeout=30000 >npm-ci.log 2>&1; then
  if ! timeout 60 npm ping --fetch-retries=1 --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=5000 --fetch-timeout=20000 >npm-ping.log 2>&1; then
    echo "interop-cluster: SKIPPED: npm cannot reach the registry ($(npm config get registry)), so actionhero 20.0.0 cannot be installed." >&2
    echo "  npm ci said:" >&2
    tail -5 npm-ci.log >&2
    exit 77
  fi
  echo "interop-cluster: npm ci failed (the registry answers, so this is not a network problem):" >&2
  cat npm-ci.log >&2
  exit 1
fi

# A template actionhero project around node_modules (config/, actions/, locales/ …), made once;
# generate leaves the existing package.json alone.
if [ ! -f .generated ]; then
  npx --no-install actionhero generate >generate.log 2>&1 || { cat generate.log >&2; exit 1; }
  [ -f config/api.js ] && [ -f config/servers/socket.js ] || { echo "interop-cluster: actionhero generate made no config:" >&2; cat generate.log >&2; exit 1; }
  touch .generated
fi
cp "$here"/actions/*.js actions/

# The configuration edits; each is idempotent (a second run finds nothing to change).
#  - the socket server: enabled by ENABLE_TCP_SERVER (as generated), port SOCKET_PORT, 127.0.0.1 only;
sed -i "s/port: 5000,/port: parseInt(process.env.SOCKET_PORT),/;
        s/bindIP: '0.0.0.0',/bindIP: '127.0.0.1',/" config/servers/socket.js
#  - no web or websocket server (their first `enabled:` is the server's own);
sed -i "0,/enabled: true,/s//enabled: false,/" config/servers/web.js config/servers/websocket.js
#  - the serverToken from SERVER_TOKEN (stock actionhero 20 has no variable for it);
sed -i "s/serverToken: 'change-me',/serverToken: process.env.SERVER_TOKEN,/" config/api.js
#  - quiet logs: warnings and worse, on the console and in log/.
sed -i "s/function buildConsoleLogger (level = 'info')/function buildConsoleLogger (level = 'warning')/;
        s/loggers.push(buildFileLogger(p))/loggers.push(buildFileLogger(p, 'warning'))/" config/logger.js

# Verify them: by their text, then by loading the config files as actionhero does.
fail() { echo "interop-cluster: the actionhero config edit did not take: $*" >&2; exit 1; }
grep -q "port: parseInt(process.env.SOCKET_PORT)," config/servers/socket.js || fail "socket port"
grep -q "bindIP: '127.0.0.1'," config/servers/socket.js || fail "socket bindIP"
grep -q "enabled: (process.env.ENABLE_TCP_SERVER !== undefined)," config/servers/socket.js || fail "socket enabled"
grep -q "serverToken: process.env.SERVER_TOKEN," config/api.js || fail "serverToken"
grep -q "function buildConsoleLogger (level = 'warning')" config/logger.js || fail "console log level"
grep -q "loggers.push(buildFileLogger(p, 'warning'))" config/logger.js || fail "file log level"
ENABLE_TCP_SERVER=1 SOCKET_PORT=45678 SERVER_TOKEN=verify-token node -e '
  const assert = require("assert")
  const api = { projectRoot: process.cwd(), config: {} }
  const general = require("./config/api.js").default.general(api)
  api.config.general = general
  assert.strictEqual(general.serverToken, "verify-token", "serverToken")
  const socket = require("./config/servers/socket.js").default.servers.socket(api)
  assert.deepStrictEqual([socket.enabled, socket.port, socket.bindIP], [true, 45678, "127.0.0.1"], "socket server")
  const web = require("./config/servers/web.js").default.servers.web(api)
  assert.strictEqual(web.enabled, false, "web server")
  api.config.servers = { web }
  assert.strictEqual(require("./config/servers/websocket.js").default.servers.websocket(api).enabled, false, "websocket server")
  assert.strictEqual(general.channel, "actionhero", "channel")
  assert.strictEqual(require("./config/api.js").production.general(api).developmentMode, false, "production mode")
' || fail "loading the config files gave other values (above)"

ACTIONHOST_BINARY="$build/actionhost" \
ACTIONHOST_CONFIG="$source/config/actionhost.toml" \
ACTIONHOST_PLUGIN_DIR="$work/plugins" \
ACTIONHERO_DIR="$work" \
  node --test --test-reporter=spec cluster.test.mjs
