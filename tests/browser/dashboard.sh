#!/usr/bin/env bash
# Starts `oncourse serve` on a temporary SQLite file and a free port (first start: the
# administrator and the seed case), adds a clinician and a researcher with passwords read from
# stdin, drives the
# dashboard in Chromium (check-dashboard.mjs), and stops the server by its PID.
#
# Usage: tests/browser/dashboard.sh PATH/TO/oncourse SCREENSHOT.png
set -euo pipefail
oncourse=$1
screenshot=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
database="sqlite:$work/oncourse.db"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$oncourse" serve --database "$database" --addr 127.0.0.1:0 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 1 600); do
  grep -q "^oncourse: serving http://" "$work/serve.log" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log"; echo "oncourse serve exited"; exit 1; }
  sleep 0.1
done
base=$(sed -n 's/^oncourse: serving \(http:\/\/[^ ]*\).*/\1/p' "$work/serve.log")
[ -n "$base" ] || { cat "$work/serve.log"; echo "oncourse serve printed no address"; exit 1; }
admin_password=$(sed -n 's/^ *admin password: *//p' "$work/serve.log")
seed=$(sed -n 's/^The bundled example case is patient \(.*\)\.$/\1/p' "$work/serve.log")
clinician_password="browser-check-$RANDOM$RANDOM"
printf '%s\n' "$clinician_password" | "$oncourse" users add dr.browser --role clinician --password-stdin --database "$database" >/dev/null
researcher_password="browser-check-$RANDOM$RANDOM"
printf '%s\n' "$researcher_password" | "$oncourse" users add res.browser --role researcher --password-stdin --database "$database" >/dev/null

node "$here/check-dashboard.mjs" "$base" dr.browser "$clinician_password" admin "$admin_password" \
  res.browser "$researcher_password" "$seed" "$screenshot"
