#!/usr/bin/env bash
# Installs axe-core for the web-ui accessibility browser tests (AccessibilityBrowserTest): `npm ci`
# in web-ui/src/test/js, which pins the exact version in package.json and package-lock.json (no
# registry URLs in the lock file, see its .npmrc). The tests inject
# node_modules/axe-core/axe.min.js into the pages; nothing runs under Node.
#
# Idempotent: runs `npm ci` only when node_modules is missing or older than package-lock.json.
# Works unattended (CI=true, no stdin). Needs a working `npm` (any version, e.g. the system one).
#
# Usage: .ci/install-axe.sh
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JS_DIR="$ROOT/web-ui/src/test/js"
log() { echo "install-axe.sh: $*" >&2; }

if ! command -v npm >/dev/null 2>&1; then
  log "needs an existing 'npm' to fetch the package"
  exit 1
fi
lock="$JS_DIR/package-lock.json"
stamp="$JS_DIR/node_modules/.package-lock.json"
if [ -f "$JS_DIR/node_modules/axe-core/axe.min.js" ] && [ -f "$stamp" ] && [ ! "$lock" -nt "$stamp" ]; then
  log "axe-core in $JS_DIR is up to date"
else
  log "npm ci in $JS_DIR"
  (cd "$JS_DIR" && npm ci --no-fund --no-audit </dev/null >&2)
fi
