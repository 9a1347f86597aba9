#!/usr/bin/env bash
# Makes a self-signed certificate and key for development TLS (socket.secure = true):
#   certs/server-cert.pem and certs/server-key.pem, valid for localhost and 127.0.0.1.
# Usage: certs/make-dev-cert.sh [OUTPUT_DIR]   (default: the folder of this script)
# Never use these in production, and never commit the key (.gitignore keeps it out).
set -euo pipefail
out="${1:-$(cd "$(dirname "$0")" && pwd)}"
mkdir -p "$out"
command -v openssl >/dev/null || { echo "make-dev-cert: openssl is needed and not on PATH: apt-get install openssl" >&2; exit 1; }
# openssl's progress dots are kept out of sight, its errors are not.
if ! err=$(openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 365 \
  -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$out/server-key.pem" -out "$out/server-cert.pem" 2>&1); then
  echo "make-dev-cert: openssl req could not make $out/server-cert.pem and $out/server-key.pem:" >&2
  sed '/^[.+*]*$/d' <<<"$err" >&2  # without the progress dots
  exit 1
fi
chmod 600 "$out/server-key.pem"
echo "wrote $out/server-cert.pem and $out/server-key.pem"
