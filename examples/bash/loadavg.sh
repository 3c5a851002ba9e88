#!/usr/bin/env bash
# The seed's bash example: every N seconds publish this machine's load average into a Comet pipe
# with the plain mysql/mariadb command-line client (CometQL speaks the MySQL protocol). Open the
# public chat example (java -jar examples/target/comet-examples.jar chat) to watch it arrive.
#
#   bash examples/bash/loadavg.sh [SECONDS]          # default every 5 s, until Ctrl-C
#
# Settings (environment): COMET_HOST (127.0.0.1), COMET_PORT (3300), COMET_USER (root),
# COMET_PASSWORD (comet), COMET_PIPE (web_chat), COUNT (0 = forever; N = stop after N messages).
set -euo pipefail

every="${1:-5}"
host="${COMET_HOST:-127.0.0.1}"
port="${COMET_PORT:-3300}"
user="${COMET_USER:-root}"
password="${COMET_PASSWORD:-comet}"
pipe="${COMET_PIPE:-web_chat}"
count="${COUNT:-0}"

client="$(command -v mariadb || command -v mysql || true)"
if [ -z "$client" ]; then
  echo "loadavg.sh: needs the mariadb (or mysql) command-line client" >&2
  exit 1
fi
case "$every" in ''|*[!0-9]*) echo "loadavg.sh: SECONDS must be a number: $every" >&2; exit 2 ;; esac
case "$pipe" in ''|*[!A-Za-z0-9_-]*) echo "loadavg.sh: bad pipe name: $pipe" >&2; exit 2 ;; esac

# Only digits, dots, slashes, spaces (load) and host-name characters get into the SQL literal,
# so no quoting problem can arise; a real backend escapes its text (see CometQl.quote in Java).
name="AVG $(uname -n | tr -cd 'A-Za-z0-9.-')"
sent=0
while :; do
  load="$(tr -cd '0-9./ ' < /proc/loadavg)"
  echo "INSERT INTO pipes_messages (name, event, message) VALUES ('$pipe', 'message', '{\"text\":\"$load\",\"name\":\"$name\"}');" \
    | MYSQL_PWD="$password" "$client" -h "$host" -P "$port" -u "$user" --skip-ssl CometQL_v1
  sent=$((sent + 1))
  echo "$(date +%T) sent: $load"
  if [ "$count" -gt 0 ] && [ "$sent" -ge "$count" ]; then
    break
  fi
  sleep "$every"
done
