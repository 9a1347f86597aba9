#!/usr/bin/env bash
# The whole server installed with `cmake --install BUILD --prefix P` (every component):
#   - the layout: bin/, the plugins folder, etc/actionhost/actionhost.toml, the SDK, the unit;
#   - the installed config keeps every comment of config/actionhost.toml, and its paths
#     (plugins.dir, socket.cert/key, files.public_dir) are absolute, into P;
#   - P/bin/actionhost --check --config P/etc/actionhost/actionhost.toml, from another folder,
#     lists the shipped plugins; the same server, started so (supervised, as installed), serves;
#   - the unit names P's binary and config;
#   - DESTDIR with --prefix /usr: /usr paths inside, /etc for the config, the unit as in config/;
#   - a config changed by hand is kept on reinstall (the new one as actionhost.toml.new).
# Usage: full_install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
source=$2

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=server.sh
source "$here/server.sh"  # work, its cleanup, fail
prefix="$work/prefix with space"

cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 || {
  cat "$work/install.log"
  fail "cmake --install $build --prefix $prefix failed"
}
echo "installed into $prefix:"
(cd "$prefix" && find . -type f -o -type l | sort | sed 's|^\./|  |')

libdir=$(cd "$prefix" && dirname "$(find . -path '*/cmake/actionhost-sdk/actionhost-sdkConfig.cmake' | head -n 1)")
libdir=${libdir#./}
libdir=${libdir%/cmake/actionhost-sdk}
[ -n "$libdir" ] || fail "no lib*/cmake/actionhost-sdk/actionhost-sdkConfig.cmake in $prefix"
shipped=(random_number status sleep_test cache_test show_documentation)
expected=(bin/actionhost etc/actionhost/actionhost.toml include/actionhost/abi.h include/actionhost/sdk.hpp
  "$libdir/cmake/actionhost-sdk/actionhost-sdkConfigVersion.cmake"
  "$libdir/cmake/actionhost-sdk/ActionhostAddPlugin.cmake" lib/systemd/system/actionhost.service
  share/doc/actionhost/README.md share/doc/actionhost/sdk/README.md share/actionhost/make-dev-cert.sh
  bin/actionhost-new-plugin "$libdir/actionhost/examples/token_auth.so")
for plugin in "${shipped[@]}"; do expected+=("$libdir/actionhost/plugins/$plugin.so"); done
for file in "${expected[@]}"; do
  [ -f "$prefix/$file" ] || fail "$file is not installed"
done
[ -d "$prefix/share/actionhost/public" ] || fail "share/actionhost/public (files.public_dir) is not installed"
if grep -q "actionhost-cli" "$source/cli/CMakeLists.txt" 2>/dev/null; then
  [ -x "$prefix/bin/actionhost-cli" ] || fail "bin/actionhost-cli is not installed"
fi
echo "PASS: the layout"

# The installed config: every comment kept, the paths into the install.
config="$prefix/etc/actionhost/actionhost.toml"
while IFS= read -r line; do
  case "$line" in
    *certs/make-dev-cert.sh* | *build/examples/*) continue ;; # these two name installed paths instead
  esac
  grep -qxF -- "$line" "$config" || fail "the installed config lost the comment: $line"
done < <(grep -E '^[[:space:]]*#' "$source/config/actionhost.toml")
grep -qF "# $prefix/share/actionhost/make-dev-cert.sh $prefix/etc/actionhost/certs" "$config" ||
  fail "the installed config does not say how to make its certificate"
for key in dir cert key public_dir; do
  line=$(grep -E "^$key = " "$config") || fail "no $key in the installed config"
  [[ $line == "$key = \"$prefix/"* ]] || fail "the installed config's $key is not into $prefix: $line"
done
grep -qxF "dir = \"$prefix/$libdir/actionhost/plugins\"" "$config" || fail "plugins.dir is not the installed plugins folder"
echo "PASS: the installed config keeps every comment; its paths are into $prefix"

unit="$prefix/lib/systemd/system/actionhost.service"
# (quoted: the prefix has a space)
grep -qxF "ExecStart=\"$prefix/bin/actionhost\" --config \"$prefix/etc/actionhost/actionhost.toml\"" "$unit" ||
  fail "the installed unit does not start $prefix/bin/actionhost with the installed config: $(grep ExecStart "$unit")"
echo "PASS: the unit starts the installed server with the installed config"

# From another folder, with nothing but the installed files.
mkdir "$work/elsewhere"
cd "$work/elsewhere"
output=$("$prefix/bin/actionhost" --check --config "$config" 2>&1) || {
  echo "$output"
  fail "the installed actionhost --check failed"
}
echo "$output"
grep -qF "plugins in $prefix/$libdir/actionhost/plugins:" <<<"$output" || fail "--check did not read the installed plugins folder"
for plugin in "${shipped[@]}"; do
  grep -qE "^  $plugin\.so: " <<<"$output" || fail "--check did not list $plugin.so"
done
echo "PASS: the installed server, run from another folder, lists the shipped plugins"

echo "public" >"$prefix/share/actionhost/public/hello.txt"
start_server "$work/server.log" "$prefix/bin/actionhost" --config "$config" --set socket.port=0 --set socket.bind=127.0.0.1
python3 "$here/ask.py" "$server_port" \
  randomNumber '{"context":"response"}' \
  status '{"context":"response"}' \
  'file ../../../etc/actionhost/actionhost.toml' '{"error":"That file is not found (../../../etc/actionhost/actionhost.toml)"}' ||
  {
    cat "$work/server.log"
    fail "the installed server did not serve as it should (above)"
  }
# The `file` verb sends raw bytes: read them with a plain socket.
answer=$(python3 -c '
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10) as s:
    f = s.makefile("rb")
    f.readline()
    s.sendall(b"file hello.txt\n")
    print(f.readline().decode().strip())
' "$server_port") || fail "could not ask the installed server for a public file"
[ "$answer" = "public" ] || fail "file hello.txt answered '$answer', not the file in the installed public_dir"
stop_server || {
  cat "$work/server.log"
  exit 1
}
echo "PASS: the installed server, started from another folder with the installed config, serves (files included)"
rm "$prefix/share/actionhost/public/hello.txt"

# A config changed by hand survives a reinstall.
echo "# changed by hand" >>"$config"
cmake --install "$build" --prefix "$prefix" --component server >"$work/reinstall.log" 2>&1 || {
  cat "$work/reinstall.log"
  fail "reinstalling failed"
}
tail -n 1 "$config" | grep -qx "# changed by hand" || fail "the reinstall overwrote the config changed by hand"
[ -f "$config.new" ] || fail "the reinstall did not write actionhost.toml.new beside the changed config"
grep -q "Keeping" "$work/reinstall.log" || fail "the reinstall did not say it kept the config"
echo "PASS: a config changed by hand is kept on reinstall; the new one is actionhost.toml.new"

# DESTDIR and --prefix /usr, as a package build does it.
DESTDIR="$work/dest" cmake --install "$build" --prefix /usr >"$work/destdir.log" 2>&1 || {
  cat "$work/destdir.log"
  fail "DESTDIR=... cmake --install --prefix /usr failed"
}
[ -f "$work/dest/etc/actionhost/actionhost.toml" ] || fail "--prefix /usr did not put the config in /etc/actionhost"
[ -x "$work/dest/usr/bin/actionhost" ] || fail "--prefix /usr did not put the binary in /usr/bin"
grep -qxF "dir = \"/usr/$libdir/actionhost/plugins\"" "$work/dest/etc/actionhost/actionhost.toml" ||
  fail "with DESTDIR, plugins.dir is not /usr/$libdir/actionhost/plugins: $(grep '^dir = ' "$work/dest/etc/actionhost/actionhost.toml")"
cmp "$work/dest/usr/lib/systemd/system/actionhost.service" "$source/config/actionhost.service" ||
  fail "with --prefix /usr, the installed unit differs from config/actionhost.service"
echo "PASS: DESTDIR with --prefix /usr: /usr/bin, /etc/actionhost, the unit as in config/"
