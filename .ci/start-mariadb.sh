#!/usr/bin/env bash
# Starts the MariaDB server that the JdbcStore / CometQL tests talk to, without systemd (CI has
# none): Debian's mariadb-server, a private datadir, listening on 127.0.0.1:${COMET_MARIADB_PORT}
# (default 3306), running as root in the background. Creates database `comet_test` and user
# `comet`/`comet` with all privileges on it (and on `comet\_%` databases, so test classes can use
# their own database). Idempotent: installs the packages if missing, does nothing but check when
# the server already answers. Tests read COMET_TEST_MARIADB_URL (default
# jdbc:mysql://127.0.0.1:3306/comet_test), COMET_TEST_MARIADB_USER / _PASSWORD (comet/comet).
set -euo pipefail

PORT="${COMET_MARIADB_PORT:-3306}"
BASE="${COMET_MARIADB_DIR:-/tmp/comet-mariadb-${PORT}}"
DATADIR="$BASE/data"
SOCKET="$BASE/mysqld.sock"
PIDFILE="$BASE/mysqld.pid"
LOG="$BASE/mysqld.log"

log() { echo "start-mariadb: $*"; }

answers_as_comet() {
  mariadb --protocol=tcp -h 127.0.0.1 -P "$PORT" -ucomet -pcomet -e 'SELECT 1' comet_test >/dev/null 2>&1
}

if ! command -v mariadb >/dev/null 2>&1 || ! { command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; }; then
  log "installing mariadb-server mariadb-client"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends mariadb-server mariadb-client >/dev/null
fi
MARIADBD="$(command -v mariadbd || echo /usr/sbin/mariadbd)"

if answers_as_comet; then
  log "already running on 127.0.0.1:$PORT"
  exit 0
fi

mkdir -p "$BASE"
started=0
if [ -S "$SOCKET" ] && mariadb-admin --no-defaults --socket="$SOCKET" -uroot ping >/dev/null 2>&1; then
  log "server of $BASE is running; (re)creating database and user"
else
  if [ ! -d "$DATADIR/mysql" ]; then
    log "initialising $DATADIR"
    rm -rf "$DATADIR"
    mariadb-install-db --no-defaults --user=root --datadir="$DATADIR" --auth-root-authentication-method=socket \
      --skip-test-db >"$BASE/install.log" 2>&1 || { cat "$BASE/install.log"; exit 1; }
  fi
  log "starting $MARIADBD on 127.0.0.1:$PORT (datadir $DATADIR, log $LOG)"
  # setsid + nohup: the server outlives this script and the Maven process that ran it.
  setsid nohup "$MARIADBD" --no-defaults --user=root --datadir="$DATADIR" --socket="$SOCKET" \
    --pid-file="$PIDFILE" --port="$PORT" --bind-address=127.0.0.1 --skip-name-resolve \
    --log-error="$LOG" --character-set-server=utf8mb4 --collation-server=utf8mb4_bin \
    --innodb-buffer-pool-size=128M --max-connections=500 </dev/null >/dev/null 2>&1 &
  started=1
fi

for _ in $(seq 1 120); do
  if mariadb-admin --no-defaults --socket="$SOCKET" -uroot ping >/dev/null 2>&1; then
    break
  fi
  sleep 0.5
done
if ! mariadb-admin --no-defaults --socket="$SOCKET" -uroot ping >/dev/null 2>&1; then
  log "server did not answer within 60 s"
  [ -f "$LOG" ] && tail -30 "$LOG"
  exit 1
fi

mariadb --no-defaults --socket="$SOCKET" -uroot <<'SQL'
CREATE DATABASE IF NOT EXISTS comet_test CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER IF NOT EXISTS 'comet'@'127.0.0.1' IDENTIFIED BY 'comet';
CREATE USER IF NOT EXISTS 'comet'@'localhost' IDENTIFIED BY 'comet';
CREATE USER IF NOT EXISTS 'comet'@'%' IDENTIFIED BY 'comet';
GRANT ALL PRIVILEGES ON `comet_test`.* TO 'comet'@'127.0.0.1', 'comet'@'localhost', 'comet'@'%';
GRANT ALL PRIVILEGES ON `comet\_%`.* TO 'comet'@'127.0.0.1', 'comet'@'localhost', 'comet'@'%';
FLUSH PRIVILEGES;
SQL

if ! answers_as_comet; then
  log "server runs but comet@127.0.0.1:$PORT cannot log in (is another server holding port $PORT?)"
  exit 1
fi
if [ "$started" = 1 ]; then
  log "ready on 127.0.0.1:$PORT"
else
  log "ready on 127.0.0.1:$PORT (already running)"
fi
