#!/usr/bin/env bash
# Prepares everything the test suite talks to, on a fresh Debian machine or an already prepared
# one (idempotent, fast when nothing is missing): Debian packages (MariaDB server and client,
# PHP with mysqli, Node.js and npm, Chromium and its driver, redis-server, Prometheus), a running
# MariaDB for the store and client tests, a running Redis (the broker tests start their own on
# ephemeral ports), and the npm packages of the Node-based tests.
# Called by the root pom in the `validate` phase through .ci/test-env-for-verify.sh, only when the
# goals include `verify`: `mvn -B verify` alone runs every test, `mvn package` touches nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v mariadb >/dev/null 2>&1 || need+=(mariadb-client)
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
command -v php >/dev/null 2>&1 || need+=(php-cli)
if command -v php >/dev/null 2>&1 && ! php -m 2>/dev/null | grep -i '^mysqli$' >/dev/null; then need+=(php-mysql); fi
command -v php >/dev/null 2>&1 || need+=(php-mysql)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || need+=(redis-tools)
# PrometheusScrapeTest (comet-server): a real Prometheus scrapes GET /metrics
command -v prometheus >/dev/null 2>&1 || [ -x /usr/bin/prometheus ] || need+=(prometheus)

if [ ${#need[@]} -gt 0 ]; then
  echo "test-env: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

for step in .ci/start-mariadb.sh .ci/start-redis.sh .ci/install-cometql-clients.sh .ci/install-js.sh; do
  if [ -f "$step" ]; then
    bash "$step"
  fi
done
echo "test-env: ready"
