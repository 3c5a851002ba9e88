#!/usr/bin/env bash
# Installs Debian's redis-server (and redis-tools) for the Redis broker tests and starts one
# server without systemd (CI has none) on 127.0.0.1:${COMET_REDIS_PORT} (default 6379), without
# persistence, in the background, for manual runs and examples. The tests themselves start their
# own redis-server processes on ephemeral ports (they kill and restart them): they only need the
# binary (RedisServer in comet-broker-redis's tests; COMET_TEST_REDIS_SERVER names another one).
# Idempotent: does nothing but check when the server already answers.
set -euo pipefail

PORT="${COMET_REDIS_PORT:-6379}"
BASE="${COMET_REDIS_DIR:-/tmp/comet-redis-${PORT}}"
LOG="$BASE/redis.log"

log() { echo "start-redis: $*"; }

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  log "installing redis-server redis-tools"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends redis-server redis-tools >/dev/null
fi

if redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null | grep -q PONG; then
  log "already running on 127.0.0.1:$PORT"
  exit 0
fi

mkdir -p "$BASE"
log "starting redis-server on 127.0.0.1:$PORT (dir $BASE, log $LOG)"
# setsid + nohup: the server outlives this script and the Maven process that ran it.
setsid nohup redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$BASE" \
  --daemonize no --logfile "$LOG" </dev/null >/dev/null 2>&1 &

for _ in $(seq 1 60); do
  if redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null | grep -q PONG; then
    log "ready on 127.0.0.1:$PORT"
    exit 0
  fi
  sleep 0.5
done
log "server did not answer within 30 s"
[ -f "$LOG" ] && tail -30 "$LOG"
exit 1
