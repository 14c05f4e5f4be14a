#!/usr/bin/env bash
# Makes the README's screenshots (docs/screenshots/*.png) again: runs ScreenshotsBrowserTest, which
# opens the main views of a fresh Dure in Debian's Chromium (light, dark, 390 px wide, Korean).
# Needs what the browser tests need (.ci/install-chromium.sh).
# Usage: scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-java.sh
export DURE_NO_PUBLIC_BOOTSTRAP=1
exec mvn -B -q -pl web-ui -am test -Dtest=ScreenshotsBrowserTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Ddure.screenshots.dir="$PWD/docs/screenshots"
