#!/usr/bin/env bash
# Bounded load test on loopback (searches during an ingest); see scripts/loadtest.py for what it does.
# Installs wrk from Debian when missing. Usage: scripts/loadtest.sh [--update] [--requests N] ...
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q wrk
fi
exec "${PYTHON:-.venv/bin/python}" scripts/loadtest.py "$@"
