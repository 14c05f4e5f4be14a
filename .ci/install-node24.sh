#!/usr/bin/env bash
# Installs Node.js 24 plus npm into <repo>/.tools/node24 (gitignored), taken
# from the npm registry as ordinary packages (no download of its own).
#
# Only needed to REBUILD the Vaadin production frontend bundle
# (web-ui/src/main/bundles/prod.bundle), which is committed; a normal build
# reuses that bundle and needs no Node at all. See web-ui/README.md.
#
# Layout produced (the one Vaadin's NodeResolver looks for next to a node
# found on PATH: <bin>/../lib/node_modules/npm/bin/npm-cli.js):
#   .tools/node24/bin/node
#   .tools/node24/bin/npm, npx                 (small wrappers)
#   .tools/node24/lib/node_modules/npm/...     (npm's own package)
#
# Usage: .ci/install-node24.sh          then  export PATH="$PWD/.tools/node24/bin:$PATH"
# Needs: a working `npm` (any version, e.g. the system one) to fetch packages.
set -euo pipefail

NODE_VERSION="24.17.0" # Vaadin 25.2's FrontendTools.DEFAULT_NODE_VERSION
NPM_VERSION="11.21.2"  # Vaadin 25.2 needs npm >= 11.3

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/.tools/node24"

if [ -x "$DEST/bin/node" ] && [ -f "$DEST/lib/node_modules/npm/bin/npm-cli.js" ] &&
  [ "$("$DEST/bin/node" --version 2>/dev/null)" = "v$NODE_VERSION" ] &&
  [ "$("$DEST/bin/node" "$DEST/lib/node_modules/npm/bin/npm-cli.js" --version 2>/dev/null)" = "$NPM_VERSION" ]; then
  echo "Node v$NODE_VERSION with npm $NPM_VERSION already in $DEST"
  exit 0
fi

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *)
    echo "install-node24.sh: unsupported OS $(uname -s)" >&2
    exit 1
    ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *)
    echo "install-node24.sh: unsupported CPU $(uname -m)" >&2
    exit 1
    ;;
esac

if ! command -v npm >/dev/null 2>&1; then
  echo "install-node24.sh: needs an existing 'npm' to fetch the packages" >&2
  exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "node-$os-$arch@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)

rm -rf "$DEST"
mkdir -p "$DEST/lib/node_modules/npm"
tar -xzf "$tmp/node-$os-$arch-$NODE_VERSION.tgz" -C "$DEST" --strip-components=1
tar -xzf "$tmp/npm-$NPM_VERSION.tgz" -C "$DEST/lib/node_modules/npm" --strip-components=1
chmod +x "$DEST/bin/node"

for tool in npm npx; do
  cat >"$DEST/bin/$tool" <<EOF
#!/bin/sh
dir="\$(cd "\$(dirname "\$0")" && pwd)"
exec "\$dir/node" "\$dir/../lib/node_modules/npm/bin/$tool-cli.js" "\$@"
EOF
  chmod +x "$DEST/bin/$tool"
done

echo "Installed Node $("$DEST/bin/node" --version) and npm $("$DEST/bin/npm" --version) in $DEST"
