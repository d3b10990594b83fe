#!/usr/bin/env bash
# Browser end-to-end tests against the real binary:
#   build the SPA (if stale) → build zhengwu → start it with demo users on a
#   free loopback port and a fresh data dir → wait for /readyz → npm run e2e.
# Run from anywhere, e.g. `bash frontend/scripts/e2e.sh` from the repo root.
# Exits with the tests' status; the server is always stopped.
set -euo pipefail

FRONTEND="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$FRONTEND/.." && pwd)"
BIN="$(mktemp -d /tmp/zhengwu-e2e-bin.XXXXXX)/zhengwu"
export ZHENGWU_DEMO_PASSWORD="${ZHENGWU_DEMO_PASSWORD:-Zw-e2e-Demo-2026!}"
# The tests reckon days and weeks as the office does, in China time (the
# server's calendar): in UTC, from 16:00 to midnight, "today" and "next
# week" would be a day behind the server's.
export TZ=Asia/Shanghai

bash "$FRONTEND/scripts/install-browser.sh"

cd "$FRONTEND"
[ -d node_modules ] || npm ci
# Rebuild when dist/ is missing or older than any source or config file.
if [ ! -f dist/index.html ] || [ -n "$(find src index.html vite.config.ts package.json package-lock.json -newer dist/index.html -print -quit)" ]; then
  npm run build
fi

# The binary embeds frontend/dist, so build it after the SPA.
(cd "$ROOT" && go build -o "$BIN" ./cmd/zhengwu)

PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
DATA="$(mktemp -d /tmp/zhengwu-e2e-data.XXXXXX)"
LOG="$DATA/server.log"
export ZHENGWU_URL="http://127.0.0.1:$PORT"
# The data directory, for tests that change the database behind the API (archive fixity).
export ZHENGWU_E2E_DATA="$DATA"

# Every test's browser and API calls come from one address (127.0.0.1): the
# per-address limit (1,200 a minute) is meant for a reader, not for the suite.
"$BIN" serve --demo --rate-limit 0 --addr "127.0.0.1:$PORT" --data "$DATA" >"$LOG" 2>&1 &
SERVER=$!

cleanup() {
  kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  rm -rf "$DATA" "$(dirname "$BIN")"
}
trap cleanup EXIT

echo "e2e: waiting for $ZHENGWU_URL/readyz"
for _ in $(seq 1 120); do
  if ! kill -0 "$SERVER" 2>/dev/null; then
    echo "e2e: server exited during start-up; its log:" >&2
    cat "$LOG" >&2
    exit 1
  fi
  if curl -fsS -o /dev/null "$ZHENGWU_URL/readyz" 2>/dev/null; then
    READY=1
    break
  fi
  sleep 0.5
done
if [ -z "${READY:-}" ]; then
  echo "e2e: server not ready after 60 s; its log:" >&2
  tail -n 50 "$LOG" >&2
  exit 1
fi

status=0
npm run e2e || status=$?
if [ "$status" -ne 0 ]; then
  echo "e2e: tests failed; last lines of the server log:" >&2
  tail -n 50 "$LOG" >&2
  echo "e2e: screenshots are in $FRONTEND/e2e/artifacts/" >&2
fi
exit "$status"
