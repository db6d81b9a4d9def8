#!/usr/bin/env bash
# Browser tests of the web client: builds the release binary (cargo skips it when fresh, and its
# build script rebuilds the embedded client when web/ changed), then drives headless Debian
# Chromium with playwright-core against servers the tests start on free ports over temporary
# SQLite files.
# Screenshots land in tests/e2e/artifacts/. `UTMOST_BIN=path` tests another binary.
set -euo pipefail
cd "$(dirname "$0")"

CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_PATH" ]; then
  echo "e2e: $CHROMIUM_PATH not found; install it with: apt-get install -y --no-install-recommends chromium fonts-dejavu-core" >&2
  exit 1
fi
export CHROMIUM_PATH

if [ -z "${UTMOST_BIN:-}" ]; then
  (cd ../.. && cargo build --release -p utmost)
  export UTMOST_BIN="$PWD/../../target/release/utmost"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

rm -rf artifacts && mkdir -p artifacts
# Spec files given as arguments (specs/notifications.test.mjs) run alone; none runs them all.
node --test --test-concurrency=1 --test-reporter=spec "${@:-specs/}"
