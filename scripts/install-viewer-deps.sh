#!/usr/bin/env bash
# Installs what `dmc view`'s page and its browser tests need, then bundles the page:
#   Debian's nodejs, npm and chromium (headless, for test/viewer), then `npm ci` in viewer/ (exact versions
#   from viewer/package-lock.json: the layout library, the bundler, playwright-core), then viewer/build.mjs,
#   which writes the page template that `dmc view` fills in (build/viewer/viewer.html by default).
#   scripts/install-viewer-deps.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
packages=(chromium)
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
scripts/install-packages.sh viewer "${packages[@]}"
# npm ci only when the lock file changed since the last install (it deletes and re-fetches node_modules).
stamp=viewer/node_modules/.dmc-lock
if ! cmp -s viewer/package-lock.json "$stamp" 2>/dev/null; then
  (cd viewer && npm ci --no-audit --no-fund --loglevel=error)
  cp viewer/package-lock.json "$stamp"
fi
mkdir -p "$BUILD_DIR/viewer"
node viewer/build.mjs "$BUILD_DIR/viewer/viewer.html"
