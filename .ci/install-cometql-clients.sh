#!/usr/bin/env bash
# Installs the external MySQL clients that comet-cometql's interop tests drive
# (ExternalClientsTest): the mariadb/mysql CLI, PHP with mysqli, Node.js with npm, and the
# Node drivers `mysql` and `mysql2` (npm ci in comet-cometql/src/test/node).
# Idempotent and quick when everything is present. Called by .ci/test-env.sh (root pom,
# validate phase); can also be run by hand as root.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v mariadb >/dev/null 2>&1 || need+=(mariadb-client)
command -v mysql >/dev/null 2>&1 || need+=(mariadb-client)
command -v script >/dev/null 2>&1 || need+=(bsdutils)
command -v php >/dev/null 2>&1 || need+=(php-cli php-mysql)
if command -v php >/dev/null 2>&1 && ! php -r 'exit(extension_loaded("mysqli") ? 0 : 1);'; then need+=(php-mysql); fi
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)

if [ ${#need[@]} -gt 0 ]; then
  # de-duplicate
  mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
  echo "install-cometql-clients: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

node_dir=comet-cometql/src/test/node
if [ ! -d "$node_dir/node_modules/mysql" ] || [ ! -d "$node_dir/node_modules/mysql2" ] \
   || [ "$node_dir/package-lock.json" -nt "$node_dir/node_modules/.package-lock.json" ]; then
  echo "install-cometql-clients: npm ci in $node_dir"
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "install-cometql-clients: ready (mariadb $(mariadb --version | awk '{print $5}' | tr -d ,), $(php -r 'echo "php ".PHP_VERSION;'), node $(node --version))"
