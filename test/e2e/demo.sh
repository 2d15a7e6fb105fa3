#!/usr/bin/env bash
# npm run demo: try the package in a real n8n against the local Google stand-in, no Google account needed.
#   - the stand-in (TLS, own test CA) with sample mail for alice@example.com and the other seeded users
#   - n8n 2.41.1 (installed once into $GW_CACHE) on http://127.0.0.1:5678 with this package, started with the
#     preload that sends Google's hostnames to the stand-in (no root, nothing outside this process tree changes)
#   - the owner account, ONE "Gmail Workspace" credential already connected (scripted consent as alice@example.com),
#     the example workflows imported with that credential
# Ctrl-C stops everything.
#
# Your own n8n instead:   bash test/e2e/demo.sh --print-env     # the env your n8n needs (preload + CA), then start it
#                         DEMO_N8N_URL=http://127.0.0.1:5678 DEMO_N8N_EMAIL=you@x DEMO_N8N_PASSWORD=... npm run demo
# Check mode:             npm run demo -- --check      # set up, run every example once (trigger examples: fired by a delivered
#                                                      # message), print "demo examples: N passed, N failed", stop
# New mail while it runs: npm run demo:deliver -- "Subject"   # the active trigger examples fire at their next poll
# knobs: DEMO_PORT (5678), DEMO_STANDIN_PORT (8443), DEMO_USER (alice@example.com), DEMO_MESSAGES (50),
#        DEMO_WORK ($GW_CACHE/demo), DEMO_KEEP=1 (keep the previous n8n data instead of starting fresh),
#        DEMO_MODEL_PORT (DEMO_PORT+3: the scripted OpenAI-compatible model the AI triage example talks to)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$E2E_DIR/standin.sh"
cd "$ROOT_DIR"

: "${DEMO_PORT:=5678}" "${DEMO_STANDIN_PORT:=8443}" "${DEMO_USER:=alice@example.com}" "${DEMO_MESSAGES:=50}"
: "${DEMO_WORK:=$GW_CACHE/demo}" "${DEMO_KEEP:=0}"
: "${DEMO_MODEL_PORT:=$((DEMO_PORT + 3))}"
: "${DEMO_N8N_URL:=}" "${DEMO_N8N_EMAIL:=$E2E_EMAIL}" "${DEMO_N8N_PASSWORD:=$E2E_PASSWORD}"

[ "${1:-}" = --check ] && DEMO_CHECK=1

if [ "${1:-}" = --print-env ]; then
  cat <<EOF
# Start YOUR n8n with these (Google's hostnames -> the demo stand-in on 127.0.0.1:$DEMO_STANDIN_PORT, its test CA trusted),
# with n8n-nodes-gmail-workspace installed (Settings -> Community nodes, or npm install in ~/.n8n/nodes), then run
#   DEMO_N8N_URL=http://127.0.0.1:5678 DEMO_N8N_EMAIL=<owner email> DEMO_N8N_PASSWORD=<password> npm run demo
export NODE_OPTIONS="--require $E2E_DIR/google-redirect.cjs"
export NODE_EXTRA_CA_CERTS="$E2E_CA_DIR/ca.crt"
export REDIRECT_TO="127.0.0.1:$DEMO_STANDIN_PORT"
EOF
  [ -f "$E2E_CA_DIR/ca.crt" ] || echo "# (the CA file appears on the demo's first start; the same CA is kept afterwards)"
  exit 0
fi

DEMO_EXIT=0
cleanup() {
  trap - EXIT INT TERM
  echo; log "stopping the demo"
  stop_all
  exit "$DEMO_EXIT"
}
trap cleanup EXIT INT TERM

mkdir -p "$DEMO_WORK"
[ "$DEMO_KEEP" = 1 ] || rm -rf "$DEMO_WORK/n8n"

# a fresh clone: the project's own dev dependencies (tsc and friends build the package), with Node 24
if [ ! -x "$ROOT_DIR/node_modules/.bin/tsc" ]; then
  log "installing the project's dev dependencies (npm ci, Node $(node -v))"
  (cd "$ROOT_DIR" && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed"; exit 1; }
fi

if [ -z "$DEMO_N8N_URL" ]; then
  bash "$E2E_DIR/install.sh" 2>&1 | sed 's/^/   /'
  [ "${PIPESTATUS[0]}" = 0 ] || { echo "install failed"; exit 1; }
  log "building and packing the package"
  build_and_pack "$DEMO_WORK/pkg" "$DEMO_WORK" "$DEMO_WORK/build.log" || { echo "build failed (log $DEMO_WORK/build.log)"; exit 1; }
fi

E2E_STANDIN_QUOTA=2026   # Gmail's quota model for projects created from May 2026 (test/standin/README.md "Quota")
standin_start "$DEMO_STANDIN_PORT" "$DEMO_WORK/standin.log" "$DEMO_MESSAGES" || { echo "stand-in did not start"; exit 1; }

# the AI triage example's model, offline: a scripted OpenAI-compatible server on loopback (lib/scripted-model.mjs);
# n8n's OpenAI credential "Scripted model" points its Base URL here (a real model: edit that credential)
port_free "$DEMO_MODEL_PORT" || { echo "port $DEMO_MODEL_PORT (DEMO_MODEL_PORT) is busy"; exit 1; }
start_bg model "$DEMO_WORK/model.log" - node "$E2E_DIR/lib/scripted-model.mjs" --port "$DEMO_MODEL_PORT"
wait_http "http://127.0.0.1:$DEMO_MODEL_PORT/v1/models" 15 "$BG_PID" || { echo "scripted model did not start (log $DEMO_WORK/model.log)"; exit 1; }
log "scripted model on http://127.0.0.1:$DEMO_MODEL_PORT/v1 (pid $BG_PID)"

if [ -z "$DEMO_N8N_URL" ]; then
  DEMO_ENV="$DEMO_WORK/n8n.env"
  write_instance_env "$DEMO_ENV" "$E2E_N8N_VERSION" "$DEMO_PORT" "$DEMO_WORK/n8n" $((DEMO_PORT + 1)) \
    "$(google_redirect_env "$DEMO_STANDIN_PORT")"
  install_packed "$TGZ" "$DEMO_WORK/n8n"
  start_n8n n8n "$DEMO_ENV" "$DEMO_WORK/n8n.log" || exit 1
  N8N_PID=$BG_PID
  N8N_URL="http://127.0.0.1:$DEMO_PORT"
else
  N8N_URL="${DEMO_N8N_URL%/}"
  curl -sf -o /dev/null "$N8N_URL/healthz" || { echo "no n8n answering at $N8N_URL"; exit 1; }
  log "using your n8n at $N8N_URL (it must run with the env of: bash test/e2e/demo.sh --print-env)"
fi

# examples/: one workflow per card, alice's connection with the "All Cards and Permanent Delete" scope set (Delete
# Permanently needs https://mail.google.com/); the admin cards use a second connection (a Workspace admin holding the
# Service Account User role on the stand-in's service account)
WF_DIRS=(--workflows "$ROOT_DIR/examples")
node "$E2E_DIR/lib/setup.mjs" --n8n-url "$N8N_URL" --standin-port "$DEMO_STANDIN_PORT" --ca "$STANDIN_CA" \
  --user "$DEMO_USER" --email "$DEMO_N8N_EMAIL" --password "$DEMO_N8N_PASSWORD" \
  --admin-user admin@example.com --service-account gmail-admin@demo-project.iam.gserviceaccount.com \
  --scope-set full "${WF_DIRS[@]}" --out "$DEMO_WORK/state.json" \
  --openai-base-url "http://127.0.0.1:$DEMO_MODEL_PORT/v1" --deliver-invoice || { echo "demo setup failed"; exit 1; }

# --check: run every card example once with `n8n execute`; deliver a starred message and wait (bounded) for n8n's
# poller to run each active trigger example (demo-check.mjs); exit (what CI and the README's claim rely on)
if [ "${DEMO_CHECK:-0}" = 1 ]; then
  [ -n "${DEMO_ENV:-}" ] || { echo "--check needs the demo's own n8n"; exit 1; }
  node "$E2E_DIR/demo-check.mjs" --state "$DEMO_WORK/state.json" --env-file "$DEMO_ENV" --n8n-url "$N8N_URL" \
    --email "$DEMO_N8N_EMAIL" --password "$DEMO_N8N_PASSWORD" --standin-port "$DEMO_STANDIN_PORT" --ca "$STANDIN_CA" --user "$DEMO_USER"
  DEMO_EXIT=$?
  exit "$DEMO_EXIT"
fi

FIRST_WF=$(node -p "require('$DEMO_WORK/state.json').workflows[0]?.id ?? ''")
ACTIVE_WF=$(node -p "require('$DEMO_WORK/state.json').workflows.filter((w) => w.active && !require('fs').readFileSync(w.file, 'utf8').includes('.mcpTrigger')).length")
cat <<EOF

  ┌───────────────────────────────────────────────────────────────────────────────
  │ n8n editor:   $N8N_URL${FIRST_WF:+/workflow/$FIRST_WF}
  │ login:        $DEMO_N8N_EMAIL  /  $DEMO_N8N_PASSWORD
  │ credentials:  "$(node -p "require('$DEMO_WORK/state.json').credential.name")" (connected as $DEMO_USER),
  │               "$(node -p "require('$DEMO_WORK/state.json').adminCredential?.name")" (admin cards, with the service account)
  │ workflows:    $(node -p "require('$DEMO_WORK/state.json').workflows.length") imported; open one and click "Execute workflow"
  │ AI:           "AI triage" (70): n8n's AI Agent with Gmail Workspace tools on a scripted model
  │               (http://127.0.0.1:$DEMO_MODEL_PORT/v1; for a real one edit the credential "Scripted model ...")
  │               MCP server (71, active): $N8N_URL/mcp/gmail-workspace (Streamable HTTP; SSE too)
  │ triggers:     $ACTIVE_WF active (12, 13 polled every minute; 14 instant: Gmail push through the stand-in's Pub/Sub);
  │               new mail: npm run demo:deliver -- "Subject" [--starred], then watch each one's Executions tab
  │ Google:       stand-in on https://127.0.0.1:$DEMO_STANDIN_PORT (requests: curl -sk https://127.0.0.1:$DEMO_STANDIN_PORT/__standin/requests)
  │ logs:         $DEMO_WORK
  │ Ctrl-C stops everything.
  └───────────────────────────────────────────────────────────────────────────────
EOF

# stay up until Ctrl-C, or until n8n / the stand-in exits
while kill -0 "$STANDIN_PID" 2>/dev/null && { [ -z "${N8N_PID:-}" ] || kill -0 "$N8N_PID" 2>/dev/null; }; do
  sleep 1
done
echo "a demo process exited; see $DEMO_WORK/*.log"
