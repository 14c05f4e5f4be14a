#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (web-ui, Playwright with
# executablePath /usr/bin/chromium). Idempotent: does nothing when it is there.
# CI runs as root; a developer may need sudo.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
