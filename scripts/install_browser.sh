#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (tests/ui), only when it is missing.
# Playwright drives this binary; `playwright install` (a download outside the registries) is never used.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q chromium
