#!/usr/bin/env bash
# The SPA's API types come from the APIs' own descriptions: the Go server
# writes its OpenAPI documents (zhengwu openapi) into src/api/openapi, and
# npm run gen:api (run before every build, type check and test) turns them
# into src/api/schema/*.ts with openapi-typescript. With --check nothing is
# written: the documents are made in a temporary folder and compared with
# the committed ones (make lint), so that a Go type changed without
# `make api-types` fails the build.
set -euo pipefail
FRONTEND="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$FRONTEND/.." && pwd)"

docs="$FRONTEND/src/api/openapi"
if [ "${1:-}" = "--check" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$ROOT" && go run ./cmd/zhengwu openapi "$tmp" >/dev/null)
  if ! diff -r "$tmp" "$docs" >/dev/null; then
    echo "api-types: frontend/src/api/openapi is out of date with the Go types; run: make api-types" >&2
    diff -r "$tmp" "$docs" | head -20 >&2 || true
    exit 1
  fi
  echo "api-types: the API descriptions the SPA's types come from are current"
  exit 0
fi
(cd "$ROOT" && go run ./cmd/zhengwu openapi "$docs")
(cd "$FRONTEND" && npm run gen:api --silent)
