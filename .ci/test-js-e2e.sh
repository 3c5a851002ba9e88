#!/usr/bin/env bash
# End-to-end tests of the bundled browser client (comet.js) against the real comet-server.jar
# (comet-launcher/src/test/js, Node's test runner): reconnect recovery through a TCP proxy that
# cuts connections, over WebSocket and long-poll, across a server restart and an epoch change.
# Needs node (>= 20), java and the mysql CLI (.ci/test-env.sh installs them) and the shaded jar:
# COMET_SERVER_JAR, default comet-launcher/target/comet-server.jar. comet-launcher's `mvn verify`
# runs this in the integration-test phase, after `package`. Exits non-zero when a test fails.
set -euo pipefail
cd "$(dirname "$0")/../comet-launcher/src/test/js"

for tool in node java mysql; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "test-js-e2e: $tool is required (see .ci/test-env.sh)" >&2
    exit 1
  fi
done

flags=(--no-warnings)
# Node 20 has WebSocket behind a flag (on by default from Node 22)
if ! node -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)'; then flags+=(--experimental-websocket); fi
exec node "${flags[@]}" --test
