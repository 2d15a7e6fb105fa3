#!/usr/bin/env bash
# npm run e2e:queue: the package on n8n's queue mode (issue #15), every component real and on loopback:
#   PostgreSQL and Redis from Debian's packages (started here, data in a temp folder, stopped at the end),
#   n8n 2.41.1 main (EXECUTIONS_MODE=queue) + 2 workers (`n8n worker`), each with the packed package installed as
#   n8n's community installer leaves it, the stand-in over TLS with the 2026 quota profile.
# queue.mjs then runs the load (5 workflows sharing one credential), the faults, the secrets scan and prints the
# report; the bad-input suite (test/cards/bad-input.test.ts) runs last and its counts join the closing JSON line.
# Knobs: QUEUE_LOAD_S (300), E2E_PORT_BASE (6100), E2E_WORK ($GW_CACHE/e2e-queue), QUEUE_KEEP=1 keeps processes up,
# QUEUE_BAD_INPUT_REPORT (a bad-input report npm test already wrote: CI sets it).
set -uo pipefail
T_START=$(date +%s.%N)
# its own test CA: it may run beside npm run e2e / the demo, whose stand-ins make theirs in the default folder
: "${GW_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-gmail-workspace}"
export E2E_CA_DIR="${E2E_CA_DIR:-$GW_CACHE/standin-ca-queue}"
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT_DIR"
if [ ! -x "$ROOT_DIR/node_modules/.bin/tsc" ]; then
  log "installing the project's dev dependencies (npm ci, Node $(node -v))"
  npm ci --no-audit --no-fund --loglevel=error || { echo "npm ci failed"; exit 1; }
fi

: "${E2E_PORT_BASE:=6100}"          # main +0/+1/+2, workers +10.. and +20.., stand-in +30, postgres +40, redis +50
: "${E2E_WORK:=$GW_CACHE/e2e-queue}"
: "${QUEUE_LOAD_S:=300}"
MAIN_PORT=$E2E_PORT_BASE; STANDIN_PORT=$((E2E_PORT_BASE + 30)); PG_PORT=$((E2E_PORT_BASE + 40)); REDIS_PORT=$((E2E_PORT_BASE + 50))
export E2E_STANDIN_QUOTA=2026

rm -rf "$E2E_WORK"; mkdir -p "$E2E_WORK/results" "$E2E_WORK/files"
PG_DIR=""
step() { echo; echo "=== $* ($(since "$T_START")s)"; }
fail_line() { # a setup step failed: the closing line still comes, with the failure
  echo "FATAL: $*"
  echo "e2e:queue: 0 passed, 1 failed"
  echo '{"executions":0,"failed_executions":1,"duplicate_sends":0,"lost_sends":0,"missed_events":0,"repeated_events":0,"user_visible_429":0,"secret_hits":0,"refreshes":0,"rate_limited_answers":0,"bad_inputs":0,"bad_inputs_clear":0,"setup_failed":true}'
  exit 1
}

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PG_BIN=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ "${QUEUE_KEEP:-0}" = 1 ]; then echo ">> QUEUE_KEEP=1: leaving everything running"; exit "$rc"; fi
  local f; for f in "$E2E_WORK"/*.pid; do [ -f "$f" ] && stop_pid "$(basename "$f" .pid)" "$(cat "$f")"; done
  stop_all
  [ -n "$PG_BIN" ] && [ -n "$PG_DIR" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1
  [ -n "$PG_DIR" ] && rm -rf "$PG_DIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'echo; echo interrupted; exit 130' INT TERM

step "PostgreSQL and Redis (Debian packages)"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/postgres" ] || ! command -v redis-server >/dev/null; then
  log "installing postgresql and redis-server from Debian"
  (apt-get install -y -qq postgresql redis-server >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server >/dev/null; }) \
    || fail_line "apt-get install postgresql redis-server"
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
# the data folder outside $HOME (the postgres user cannot enter /root)
PG_DIR=$(mktemp -d /tmp/gw-queue-pg.XXXXXX); chmod 755 "$PG_DIR"
[ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U n8n > "$E2E_WORK/postgres-init.log" 2>&1 || { cat "$E2E_WORK/postgres-init.log"; fail_line "initdb"; }
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null || { cat "$PG_DIR/postgres.log"; fail_line "postgres start"; }
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U n8n n8n || fail_line "createdb"
log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (data $PG_DIR)"
REDIS_CMD="redis-server --port $REDIS_PORT --bind 127.0.0.1 --save '' --appendonly yes --appendfsync everysec --dir '$E2E_WORK'"
echo "$REDIS_CMD" > "$E2E_WORK/redis.cmd"
setsid bash -c "exec $REDIS_CMD" >> "$E2E_WORK/redis.log" 2>&1 < /dev/null & echo $! > "$E2E_WORK/redis.pid"
for _ in $(seq 1 40); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.25; done
redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 || fail_line "redis start"
log "Redis $(redis-server --version | awk '{print $3}' | tr -d 'v=') on 127.0.0.1:$REDIS_PORT"

step "install n8n, build and pack"
bash "$E2E_DIR/install.sh" 2>&1 | sed 's/^/   /'; [ "${PIPESTATUS[0]}" = 0 ] || fail_line "install n8n"
build_and_pack "$E2E_WORK/pkg" "$E2E_WORK" "$E2E_WORK/build.log" || fail_line "build and pack"

step "stand-in (TLS, 2026 quota) on 127.0.0.1:$STANDIN_PORT"
source "$E2E_DIR/standin.sh"
standin_start "$STANDIN_PORT" "$E2E_WORK/standin.log" 260 || fail_line "stand-in start"

# one env file per instance: the same database, Redis and encryption key; own user folder, ports and logs
QUEUE_LINES=(
  "export DB_TYPE=postgresdb DB_POSTGRESDB_HOST=127.0.0.1 DB_POSTGRESDB_PORT=$PG_PORT DB_POSTGRESDB_DATABASE=n8n DB_POSTGRESDB_USER=n8n DB_POSTGRESDB_PASSWORD="
  "export EXECUTIONS_MODE=queue QUEUE_BULL_REDIS_HOST=127.0.0.1 QUEUE_BULL_REDIS_PORT=$REDIS_PORT"
  "export N8N_LOG_LEVEL=debug N8N_LOG_OUTPUT=console N8N_RESTRICT_FILE_ACCESS_TO='$E2E_WORK/files'"
  "export EXECUTIONS_DATA_SAVE_ON_SUCCESS=all EXECUTIONS_DATA_SAVE_ON_ERROR=all N8N_RUNNERS_ENABLED=true"
)
write_instance_env "$E2E_WORK/main.env" "$E2E_N8N_VERSION" "$MAIN_PORT" "$E2E_WORK/main" $((MAIN_PORT + 1)) \
  "$(google_redirect_env "$STANDIN_PORT")" "${QUEUE_LINES[@]}"
install_packed "$TGZ" "$E2E_WORK/main"
for w in 1 2; do
  port=$((E2E_PORT_BASE + 10 * w))
  write_instance_env "$E2E_WORK/worker$w.env" "$E2E_N8N_VERSION" "$port" "$E2E_WORK/worker$w" $((port + 1)) \
    "$(google_redirect_env "$STANDIN_PORT")" "${QUEUE_LINES[@]}" \
    "export QUEUE_HEALTH_CHECK_ACTIVE=true QUEUE_HEALTH_CHECK_PORT=$port N8N_WORKER_SERVER_ADDRESS=127.0.0.1"
  install_packed "$TGZ" "$E2E_WORK/worker$w"
done

step "n8n $E2E_N8N_VERSION main (queue mode) on 127.0.0.1:$MAIN_PORT"
start_n8n main "$E2E_WORK/main.env" "$E2E_WORK/main.log" || fail_line "n8n main start"
echo "$BG_PID" > "$E2E_WORK/main.pid"

# start_worker N: `n8n worker` in its own session; its pid in worker N.pid (queue.mjs kills and restarts them)
cat > "$E2E_WORK/start-worker.sh" <<EOF
#!/usr/bin/env bash
# start-worker.sh N: start worker N (used at start and by queue.mjs after killing one)
source "$E2E_WORK/worker\$1.env"
setsid n8n worker --concurrency=10 >> "$E2E_WORK/worker\$1.log" 2>&1 < /dev/null &
echo \$! > "$E2E_WORK/worker\$1.pid"
EOF
chmod +x "$E2E_WORK/start-worker.sh"
for w in 1 2; do
  bash "$E2E_WORK/start-worker.sh" "$w"
  pid=$(cat "$E2E_WORK/worker$w.pid")
  wait_http "http://127.0.0.1:$((E2E_PORT_BASE + 10 * w))/healthz" 180 "$pid" || { tail -30 "$E2E_WORK/worker$w.log"; fail_line "worker $w start"; }
  log "worker $w ready (pid $pid, health on :$((E2E_PORT_BASE + 10 * w)))"
done

step "load, faults and scans ($QUEUE_LOAD_S s of load)"
node "$E2E_DIR/queue.mjs" --n8n-url "http://127.0.0.1:$MAIN_PORT" --work "$E2E_WORK" --standin-port "$STANDIN_PORT" \
  --ca "$STANDIN_CA" --email "$E2E_EMAIL" --password "$E2E_PASSWORD" --load-seconds "$QUEUE_LOAD_S" \
  --redis-port "$REDIS_PORT" --pg "$PG_BIN|$PG_PORT" --results "$E2E_WORK/results/queue.json"
RC=$?

step "bad-input suite (in-process, test/cards/bad-input.test.ts)"
if [ -n "${QUEUE_BAD_INPUT_REPORT:-}" ] && [ -f "$QUEUE_BAD_INPUT_REPORT" ]; then
  echo "   its report from this CI's npm test: $QUEUE_BAD_INPUT_REPORT"
  cp "$QUEUE_BAD_INPUT_REPORT" "$E2E_WORK/results/bad-input.json"
elif [ -f "$ROOT_DIR/test/cards/bad-input.test.ts" ]; then
  BAD_INPUT_REPORT="$E2E_WORK/results/bad-input.json" npx jest test/cards/bad-input.test.ts --silent 2>&1 | tail -6
else
  echo "   (no bad-input suite in this tree)"
fi

step "report"
node "$E2E_DIR/queue-report.mjs" "$E2E_WORK/results/queue.json" "$E2E_WORK/results/bad-input.json"
REPORT_RC=$?
[ "$RC" = 0 ] && [ "$REPORT_RC" = 0 ]
