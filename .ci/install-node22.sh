#!/usr/bin/env bash
# Installs Node.js 22 into <repo>/.tools/node22 (gitignored), taken from the npm
# registry as an ordinary package (no download of its own), then installs the
# js-libp2p interop fixture's dependencies (network/src/test/js, `npm ci`).
#
# Needed only by the network module's js-libp2p interop tests (js-libp2p 3
# requires Node >= 22); see network/src/test/js/README.md. The tests find the
# binary at .tools/node22/bin/node (or in the env var DURE_NODE22).
#
# Idempotent: a second run only re-checks the version and re-runs `npm ci` when
# node_modules is missing or older than package-lock.json.
# Works unattended (CI=true, no stdin). Needs: a working `npm` (any version,
# e.g. the system one) to fetch the packages.
#
# Usage: .ci/install-node22.sh
# Last line of stdout: absolute path of the node 22 binary.
set -euo pipefail

NODE_VERSION="22.23.3" # newest 22.x of the npm package node-<os>-<arch>

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/.tools/node22"
NODE="$DEST/bin/node"
JS_DIR="$ROOT/network/src/test/js"

log() { echo "install-node22.sh: $*" >&2; }

if ! command -v npm >/dev/null 2>&1; then
  log "needs an existing 'npm' to fetch the packages"
  exit 1
fi

if [ -x "$NODE" ] && [ "$("$NODE" --version 2>/dev/null)" = "v$NODE_VERSION" ]; then
  log "Node v$NODE_VERSION already in $DEST"
else
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *)
      log "unsupported OS $(uname -s)"
      exit 1
      ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *)
      log "unsupported CPU $(uname -m)"
      exit 1
      ;;
  esac

  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  log "fetching node-$os-$arch@$NODE_VERSION"
  (cd "$tmp" && npm pack --silent "node-$os-$arch@$NODE_VERSION" >/dev/null </dev/null)

  rm -rf "$DEST"
  mkdir -p "$DEST"
  tar -xzf "$tmp/node-$os-$arch-$NODE_VERSION.tgz" -C "$DEST" --strip-components=1
  chmod +x "$NODE"
fi

version="$("$NODE" --version)"
case "$version" in
  v22.*) ;;
  *)
    log "expected Node v22.x at $NODE but got '$version'"
    exit 1
    ;;
esac

# npm itself: the machine's npm, run with node 22 first on PATH so that
# lifecycle scripts and engine checks see node 22.
lock="$JS_DIR/package-lock.json"
stamp="$JS_DIR/node_modules/.package-lock.json"
if [ -d "$JS_DIR/node_modules" ] && [ -f "$stamp" ] && [ ! "$lock" -nt "$stamp" ]; then
  log "node_modules in $JS_DIR is up to date"
else
  log "npm ci in $JS_DIR"
  (cd "$JS_DIR" && PATH="$DEST/bin:$PATH" npm ci --no-fund --no-audit </dev/null >&2)
fi

log "Node $version ready"
echo "$NODE"
