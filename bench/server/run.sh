#!/usr/bin/env bash
# Server benchmark (issue 7): ingest throughput and read latency of `oncourse serve` on SQLite
# and PostgreSQL, measured with wrk (Debian) from a second process on 127.0.0.1.
#
#   bench/server/run.sh            # both databases (PostgreSQL at $ONCOURSE_BENCH_POSTGRES_URL,
#                                  # default postgres://postgres@127.0.0.1:5432/test)
#   DATABASES=sqlite bench/server/run.sh
#
# Measures, per database, at 32 connections for $SECONDS_PER_RUN s each:
#   1. ingest, one fact per request (each request its own durable transaction);
#   2. ingest, 100 facts per request (a batch is one transaction);
#   3. p50/p99 latency of reading a patient's 10 000 facts (one page of 10 000), the default page
#      (1 000) and a page of 100 of them, and of the assessment (plain and gzip: the body is
#      megabytes for 10 000 facts).
# Goal (issue 7): >= 5 000 facts/s ingest, p99 < 50 ms at 32 clients on the 2-core machine.
# Not a test: nothing here asserts; it prints the figures.
set -euo pipefail
cd "$(dirname "$0")/../.."

SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
DATABASES=${DATABASES:-"sqlite postgres"}
PG_ADMIN_URL=${ONCOURSE_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
PORT=${PORT:-18_080}
PORT=${PORT//_/}

command -v wrk >/dev/null || { apt-get install -y wrk >/dev/null; }
cargo build --release -p oncourse-cli --locked 2>&1 | tail -1
BIN=$PWD/target/release/oncourse
WORK=$(mktemp -d)
SERVER_PID=
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

fact() { # fact DATE VALUE
  printf '{"date":"%s","body":{"kind":"observation","name":"hemoglobin","loinc":"718-7","value":{"value":%s,"unit":"g/L"},"reference_low":null,"reference_high":null}}' "$1" "$2"
}
batch() { # batch N
  local out="[" i
  for ((i = 0; i < $1; i++)); do
    [ $i -gt 0 ] && out+=","
    out+=$(fact "2022-06-$(printf %02d $((i % 28 + 1)))" $((100 + i % 50)))
  done
  printf '%s]' "$out"
}
wrk_post() { # wrk_post URL BODY_FILE
  cat > "$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
local f = io.open("$2", "r"); wrk.body = f:read("*a"); f:close()
LUA
  wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" --timeout 30s --latency -s "$WORK/post.lua" "$1"
}
wrk_get() { # wrk_get URL [ACCEPT_ENCODING]
  cat > "$WORK/get.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
  [ -n "${2:-}" ] && echo "wrk.headers[\"Accept-Encoding\"] = \"$2\"" >> "$WORK/get.lua"
  wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" --timeout 30s --latency -s "$WORK/get.lua" "$1"
}
summary() { # summary LABEL FACTS_PER_REQUEST < wrk output
  awk -v label="$1" -v per="$2" '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    /Non-2xx/ { bad = $NF }
    END { printf "%-44s %9.0f req/s %9.0f facts/s  p50 %-9s p99 %-9s non-2xx %s\n", label, rps, rps * per, p50, p99, (bad == "" ? 0 : bad) }'
}

for db in $DATABASES; do
  case $db in
    sqlite) URL="sqlite:$WORK/bench.db" ;;
    postgres)
      NAME=oncourse_bench_$$
      psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $NAME" -c "CREATE DATABASE $NAME" >/dev/null
      URL="${PG_ADMIN_URL%/*}/$NAME" ;;
  esac
  TOKEN=$("$BIN" users add bench --role clinician --database "$URL" 2>/dev/null)
  "$BIN" serve --database "$URL" --addr "127.0.0.1:$PORT" 2>"$WORK/server.log" &
  SERVER_PID=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
  BASE="http://127.0.0.1:$PORT/api/patients"
  new_patient() {
    curl -sf "$BASE" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      -d '{"name":"Bench Patient"}' | sed 's/.*"id":"\([^"]*\)".*/\1/'
  }
  echo "== $db ($(nproc) cores; server and wrk share them)"
  P1=$(new_patient)
  fact 2022-06-01 101 > "$WORK/one.json"
  wrk_post "$BASE/$P1/facts" "$WORK/one.json" | summary "ingest, 1 fact/request, 32 conns" 1
  P2=$(new_patient)
  batch 100 > "$WORK/hundred.json"
  wrk_post "$BASE/$P2/facts" "$WORK/hundred.json" | summary "ingest, 100 facts/request, 32 conns" 100
  P3=$(new_patient)
  for _ in $(seq 100); do
    curl -sf "$BASE/$P3/facts" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      --data-binary @"$WORK/hundred.json" >/dev/null
  done
  COUNT=$(curl -sf "$BASE/$P3/facts?limit=10000" -H "Authorization: Bearer $TOKEN" | grep -o '"event_id"' | wc -l)
  wrk_get "$BASE/$P3/facts?limit=10000" | summary "read $COUNT facts (…/facts?limit=10000), 32 conns" 0
  wrk_get "$BASE/$P3/facts" | summary "read the default page (1 000) of them, 32 conns" 0
  wrk_get "$BASE/$P3/facts?limit=100" | summary "read a page of 100 of them, 32 conns" 0
  if curl -sf -o /dev/null "$BASE/$P3/assessment" -H "Authorization: Bearer $TOKEN"; then
    wrk_get "$BASE/$P3/assessment" | summary "assessment of $COUNT facts, 32 conns" 0
    wrk_get "$BASE/$P3/assessment" gzip | summary "the same, Accept-Encoding: gzip, 32 conns" 0
  else
    echo "assessment endpoint: not available in this build"
  fi
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
  [ "$db" = postgres ] && psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" >/dev/null
done
