#!/usr/bin/env bash
# Installs the SDK from the build tree, builds tests/sdk_consumer against the installed
# package alone, and has the server load the result. The plugin links two static libraries
# of its project (one made with actionhost_add_plugin_library, one plain add_library that
# actionhost_add_plugin(... LIBRARIES) prepares): their code must be compiled as plugin code
# (position-independent, hidden, no STB_GNU_UNIQUE symbols) and hello.so must pass the check
# of PluginsHaveNoUniqueSymbols; the same code built without the SDK's settings (control.so)
# must fail it, so that the check is known to catch what the settings prevent.
# Usage: out_of_tree_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}
# run LOG COMMAND...: runs the command with its output in $work/LOG, shown when it fails.
run() {
  local log="$work/$1"
  shift
  "$@" >"$log" 2>&1 || {
    echo "FAIL: $* exited with $?:"
    cat "$log"
    exit 1
  }
}

run install.log cmake --install "$build" --component sdk --prefix "$work/sdk"
run configure.log cmake -S "$source/tests/sdk_consumer" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/sdk" \
  -DCMAKE_BUILD_TYPE=Release -DHELLO_CONTROL=ON
run build.log cmake --build "$work/build"
test -f "$work/build/hello.so" || fail "hello.so was not built"
echo "PASS: hello.so, linking libgreeting.a and libcounting.a, built against the installed SDK alone"

# The libraries' code was compiled as plugin code is.
commands="$work/build/compile_commands.json"
for source_file in greeting.cpp counting.cpp; do
  line=$(grep -F "\"command\"" "$commands" | grep -F "/$source_file" | grep -vF "control_code" || true)
  [ -n "$line" ] || fail "no compile command for $source_file in $commands"
  for flag in -fPIC -fvisibility=hidden -fvisibility-inlines-hidden -fno-gnu-unique; do
    grep -qF -- "$flag" <<<"$line" || fail "$source_file was compiled without $flag: $line"
  done
done
echo "PASS: greeting.cpp and counting.cpp compiled with -fPIC -fvisibility=hidden -fvisibility-inlines-hidden -fno-gnu-unique"

# Their objects hold no UNIQUE symbol and define only hidden ones; the control's do hold UNIQUE ones.
for archive in libgreeting.a libcounting.a; do
  symbols=$(readelf -sW "$work/build/$archive") || fail "readelf failed on $archive"
  ! grep -q ' UNIQUE ' <<<"$symbols" || fail "$archive has UNIQUE symbols:"$'\n'"$(grep ' UNIQUE ' <<<"$symbols")"
  visible=$(awk '($5 == "GLOBAL" || $5 == "WEAK") && $7 != "UND" && $6 != "HIDDEN"' <<<"$symbols")
  [ -z "$visible" ] || fail "$archive defines symbols that are not hidden:"$'\n'"$visible"
done
readelf -sW "$work/build/libcontrol_code.a" | grep -q ' UNIQUE ' ||
  fail "the control library has no UNIQUE symbol: this compiler no longer makes any, and the checks above prove nothing"
echo "PASS: the libraries' objects define only hidden symbols and no UNIQUE one (the control's have UNIQUE ones)"

# hello.so: the check of PluginsHaveNoUniqueSymbols passes, and no symbol of the libraries is exported.
mkdir "$work/plugins" "$work/control"
cp "$work/build/hello.so" "$work/plugins/"
cp "$work/build/control.so" "$work/control/"
run check-hello.log cmake "-DDIRS=$work/plugins" -P "$source/tests/check_plugins_unique.cmake"
if cmake "-DDIRS=$work/control" -P "$source/tests/check_plugins_unique.cmake" >"$work/check-control.log" 2>&1; then
  cat "$work/check-control.log"
  fail "the UNIQUE check passed control.so, built without the SDK's settings; it should have failed"
fi
grep -q 'UNIQUE' "$work/check-control.log" || {
  cat "$work/check-control.log"
  fail "the UNIQUE check failed control.so, but not for its UNIQUE symbols"
}
exported=$(readelf -W --dyn-syms "$work/build/hello.so" | awk '$7 != "UND"') || fail "readelf failed on hello.so"
grep -q ' actionhost_plugin_entry$' <<<"$exported" || fail "hello.so does not export actionhost_plugin_entry"
! grep -E 'greet|count_call|counting' <<<"$exported" ||
  fail "hello.so exports symbols of its static libraries (above)"
echo "PASS: hello.so has no UNIQUE symbol and exports none of its libraries' (control.so fails the same check)"

output=$("$build/actionhost" --check --config "$source/config/actionhost.toml" \
  --set "plugins.dir=$work/plugins" 2>&1) || {
  echo "$output"
  fail "--check failed"
}
echo "$output"
grep -q "hello.so: hello 0.1.0" <<<"$output" || fail "hello.so was not loaded"
grep -q "    hello v1" <<<"$output" || fail "action hello v1 was not listed"
echo "PASS: a plugin built out of tree against the installed SDK loads"
