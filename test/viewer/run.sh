#!/usr/bin/env bash
# ctest viewer_pages: bundles the page (viewer/build.mjs), then runs test/viewer/*.test.mjs in headless
# Chromium. Needs scripts/install-viewer-deps.sh (scripts/test.sh runs it and sets DMC_REQUIRE_VIEWER=1);
# without it the test is skipped (exit 77), unless DMC_REQUIRE_VIEWER=1 makes that a failure.
#   test/viewer/run.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
build=$(cd "$1" && pwd)
if [ ! -x /usr/bin/chromium ] || [ ! -d viewer/node_modules/playwright-core ] || ! command -v node >/dev/null; then
  echo "viewer_pages: chromium, node or viewer/node_modules missing: run scripts/install-viewer-deps.sh"
  [ "${DMC_REQUIRE_VIEWER:-0}" = 1 ] && exit 1
  exit 77
fi
mkdir -p "$build/viewer"
node viewer/build.mjs "$build/viewer/viewer.html"
DMC="$build/bin/dmc" OUT="$build/viewer/test" DMC_VIEWER_TEMPLATE="$build/viewer/viewer.html" node --test test/viewer/
