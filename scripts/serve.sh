#!/usr/bin/env bash
# Installs whatever is missing, then builds ScaleLab and serves it on http://127.0.0.1:8080
# (rebuilding on every change). Pass --release for the optimised build.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
echo "ScaleLab will be at http://127.0.0.1:8080 (Ctrl-C to stop)"
exec trunk serve --address 127.0.0.1 --port 8080 "$@"
