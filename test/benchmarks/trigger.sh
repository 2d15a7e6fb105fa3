#!/usr/bin/env bash
# npm run bench:trigger (issue 13): our Gmail Workspace Trigger (New Email) side by side with n8n's built-in Gmail Trigger,
# both ACTIVE in a real n8n 2.41.1 and polling every minute, against the Google stand-in on Gmail's 2026 quota profile.
# Every node polls its own stand-in mailbox (the same mail is delivered to both), so units and items never mix.
# Scenarios, run side by side: idle polls; a burst of 1,000 messages between two polls; history expiry in the middle of
# a backlog; an n8n restart with a backlog pending (on a second n8n instance, so the restart disturbs nothing else).
# Prints figures; the last line is one JSON object. Takes ~30 min (the built-in needs a poll per 50 messages).
# Knobs: BENCH_BURST (1000), BENCH_BACKLOG (300), BENCH_LATE (100), BENCH_OURS_MAX (Max Emails per Poll of ours outside
# the burst, 100), BENCH_BUILTIN_MAX (the built-in's Max Emails per Poll, 50 = its maximum), BENCH_LATENCY_MS (100),
# BENCH_DEADLINE_MIN (28), BENCH_PORT_BASE (5900), BENCH_WORK, E2E_SKIP_BUILD=1 (pack the existing dist/).
#
# `trigger.sh --start-instance NAME` is used by trigger.mjs to (re)start the second n8n: it sources only env.sh (no
# EXIT trap), starts `n8n start` with $BENCH_WORK/NAME.env and appends its pid to $BENCH_WORK/instances.pids, which the
# EXIT trap of the main run stops.
if [ "${1:-}" = "--start-instance" ]; then
  source "$(dirname "${BASH_SOURCE[0]}")/../e2e/env.sh"
  name="$2"
  start_n8n "$name" "$BENCH_WORK/$name.env" "$BENCH_WORK/$name.log" >&2 || exit 1
  echo "$BG_PID" >> "$BENCH_WORK/instances.pids"
  echo "$BG_PID"
  exit 0
fi

: "${BENCH_PORT_BASE:=5900}"
export BENCH_PORT_BASE
# the whole run on Gmail's 2026 quota model (6,000 units per user per sliding minute, messages.get 20 units)
export E2E_STANDIN_QUOTA="${BENCH_QUOTA_PROFILE:-2026}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
: "${BENCH_WORK:=$GW_CACHE/bench-trigger}"
export BENCH_WORK

trigger_cleanup() {
  local rc=$? pid
  if [ -f "$BENCH_WORK/instances.pids" ]; then
    while read -r pid; do [ -n "$pid" ] && stop_pid restart "$pid"; done < "$BENCH_WORK/instances.pids"
  fi
  (exit "$rc")
  bench_cleanup
}
trap trigger_cleanup EXIT

bench_setup trigger 0 || { echo "bench:trigger setup failed (logs in $BENCH_WORK)" >&2; exit 1; }

# the second n8n (restart scenario): own port, user folder and SQLite DB; the same package and stand-in
RESTART_PORT=$((BENCH_PORT_BASE + 10))
RESTART_ENV="$BENCH_WORK/restart.env"
write_instance_env "$RESTART_ENV" "$E2E_N8N_VERSION" "$RESTART_PORT" "$BENCH_WORK/restart" $((RESTART_PORT + 1)) \
  "$(google_redirect_env "$STANDIN_PORT")" \
  "export EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS=true EXECUTIONS_DATA_PRUNE=false"
install_packed "$TGZ" "$BENCH_WORK/restart"
: > "$BENCH_WORK/instances.pids"
RESTART_PID=$(bash "$BENCH_DIR/trigger.sh" --start-instance restart) || { echo "second n8n did not start" >&2; exit 1; }
export RESTART_PID RESTART_URL="http://127.0.0.1:$RESTART_PORT" RESTART_ENV BENCH_TRIGGER_SH="$BENCH_DIR/trigger.sh"
log "second n8n (restart scenario) on $RESTART_URL, pid $RESTART_PID"

node "$BENCH_DIR/trigger.mjs"
