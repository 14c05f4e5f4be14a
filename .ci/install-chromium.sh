#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (web-ui, Playwright with
# executablePath /usr/bin/chromium), and a font with Korean glyphs (fonts-noto-cjk):
# without one, the Korean UI's screenshots show empty boxes. Idempotent: does
# nothing when both are there. CI runs as root; a developer may need sudo.
set -euo pipefail

have_chromium() { [ -x /usr/bin/chromium ]; }
have_korean_font() { command -v fc-list >/dev/null && [ -n "$(fc-list :lang=ko)" ]; }

if have_chromium && have_korean_font; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium fonts-noto-cjk fontconfig >/dev/null
/usr/bin/chromium --version
fc-list :lang=ko | head -1
