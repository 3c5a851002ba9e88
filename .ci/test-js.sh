#!/usr/bin/env bash
# Unit tests of the bundled browser client (comet-transport-netty/.../client/comet.js) under
# Node's built-in test runner, no browser. Idempotent: installs the test package's npm
# dependencies (TypeScript, for the comet.d.ts check) from package-lock.json into its own
# node_modules, then runs the node test runner there. Exits non-zero when a test fails.
set -euo pipefail
cd "$(dirname "$0")/../comet-transport-netty/src/test/js"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "test-js: node and npm are required (Debian packages nodejs, npm)" >&2
  exit 1
fi

# npm ci always wipes node_modules: skip it while the installed tree is newer than the lock
# file (npm rewrites node_modules/.package-lock.json on every install).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
   || [ ! -f node_modules/typescript/bin/tsc ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

exec node --test
