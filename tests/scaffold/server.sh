# shellcheck shell=bash
# Sourced by the scaffold tests: a temporary folder `work`, removed on exit with the server
# stopped; `fail`; starting a server in the background, its port, stopping it.

server_pid=""
server_port=""
work=$(mktemp -d)
cleanup() {
  stop_server || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}

# start_server LOG COMMAND...: runs COMMAND (an actionhost with --set socket.port=0) with its
# output in LOG, and waits for its `listening on HOST:PORT` line; sets server_port.
start_server() {
  local log=$1
  shift
  : >"$log"
  "$@" >>"$log" 2>&1 &
  server_pid=$!
  local waited=0
  while ! grep -q 'listening on ' "$log"; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      wait "$server_pid" && status=0 || status=$?
      server_pid=""
      echo "FAIL: the server exited ($status) before listening; its output:"
      cat "$log"
      exit 1
    fi
    if [ $waited -ge 300 ]; then
      echo "FAIL: the server did not log 'listening on' within 30 s; its output:"
      cat "$log"
      exit 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  server_port=$(grep -o 'listening on [^ ]*' "$log" | head -n 1 | sed 's/.*://')
  [[ $server_port =~ ^[0-9]+$ ]] || {
    echo "FAIL: no port in the server's 'listening on' line:"
    cat "$log"
    exit 1
  }
}

# stop_server: SIGTERM, then SIGKILL after 10 s; returns 1 (saying so) when it did not exit 0
# (a graceful shutdown exits 0). Does nothing when none runs.
stop_server() {
  [ -n "$server_pid" ] || return 0
  local pid=$server_pid status waited=0
  server_pid=""
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ $waited -lt 100 ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  kill -0 "$pid" 2>/dev/null && {
    echo "the server did not stop within 10 s of SIGTERM; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  }
  wait "$pid" && status=0 || status=$?
  if [ "$status" -ne 0 ]; then
    echo "FAIL: the server exited with $status after SIGTERM"
    return 1
  fi
}
