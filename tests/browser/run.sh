#!/usr/bin/env bash
# The console's browser test (CTest "console_browser", label browser).
#   run.sh SUNSHINE_BINARY WORK_DIR
# Installs playwright-core with npm into WORK_DIR/npm (never downloads a browser), prepares a
# home (example mail and visit log, a records officer and a compliance account), starts
# `sunshine serve` on a free loopback port and runs console.test.mjs against it with Debian's
# chromium. Screenshots and the downloaded package land in WORK_DIR/artefacts.
# Exit 77 (CTest SKIP_RETURN_CODE) when node, npm, chromium or the npm package is unavailable.
set -uo pipefail

SUNSHINE="$1"
WORK="$2"
SOURCE_DIR="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$SOURCE_DIR/../.." && pwd)"
CHROMIUM="${SUNSHINE_CHROMIUM:-/usr/bin/chromium}"

skip() { echo "SKIP: $*"; exit 77; }

command -v node >/dev/null 2>&1 || skip "node is not installed"
command -v npm >/dev/null 2>&1 || skip "npm is not installed"
[ -x "$CHROMIUM" ] || skip "$CHROMIUM is missing (apt-get install chromium)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 18 ] || skip "node $node_major is too old for playwright-core"

mkdir -p "$WORK/npm" "$WORK/artefacts"
cp "$SOURCE_DIR/package.json" "$SOURCE_DIR/console.test.mjs" "$WORK/npm/"
if [ ! -f "$WORK/npm/node_modules/playwright-core/package.json" ]; then
  echo "installing playwright-core into $WORK/npm (no browser download)"
  if ! (cd "$WORK/npm" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund \
          --ignore-scripts --loglevel=error >"$WORK/npm-install.log" 2>&1); then
    cat "$WORK/npm-install.log"
    skip "npm install playwright-core failed (offline?)"
  fi
fi

HOME_DIR="$(mktemp -d "${TMPDIR:-/tmp}/sunshine-browser-XXXXXX")"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
  if [ -z "${SUNSHINE_KEEP_TEST_DIRS:-}" ]; then rm -rf "$HOME_DIR"; fi
}
trap cleanup EXIT

run() { "$SUNSHINE" --home "$HOME_DIR/home" --quiet "$@"; }
run init >/dev/null || { echo "sunshine init failed"; exit 1; }
run import mail "$REPO/examples/mail/office-inbox.mbox" >/dev/null || true
run import visits "$REPO/examples/visits/access.log" >/dev/null || true
echo "officer-password-1" | run user add olivia --role records-officer >/dev/null || exit 1
echo "compliance-password-2" | run user add carl --role compliance >/dev/null || exit 1
echo "admin-password-3333" | run user add ada --role admin >/dev/null || exit 1

"$SUNSHINE" --home "$HOME_DIR/home" serve --listen 127.0.0.1:0 >"$HOME_DIR/serve.out" \
  2>"$HOME_DIR/serve.err" &
SERVER_PID=$!
URL=""
for _ in $(seq 1 100); do
  URL="$(grep -o 'http://127.0.0.1:[0-9]*' "$HOME_DIR/serve.out" 2>/dev/null | head -1)"
  [ -n "$URL" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$URL" ]; then
  echo "sunshine serve did not start:"; cat "$HOME_DIR/serve.err"; exit 1
fi
echo "console at $URL"

cd "$WORK/npm" && node console.test.mjs "$URL" "$WORK/artefacts" "$CHROMIUM" "$HOME_DIR/profile"
status=$?
if [ $status -ne 0 ]; then
  echo "--- server stderr"; cat "$HOME_DIR/serve.err"
fi
exit $status
