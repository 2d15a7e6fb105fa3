# Source me (bash) from read.sh / send.sh: one real n8n 2.41.1 (`n8n start`, loopback) with this package installed
# from its packed tarball, and the Google stand-in over TLS, reusing the e2e harness (test/e2e/env.sh, standin.sh,
# google-redirect.cjs). Every process started here is stopped by the EXIT trap (also on failure and Ctrl-C).
#   bench_setup NAME MESSAGES [extra env lines for n8n...]
#     -> BENCH_WORK, N8N_PID, N8N_URL, STANDIN_PORT, STANDIN_CA, MAIN_ENV, N8N_PREFIX
set -uo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../e2e/env.sh
source "$BENCH_DIR/../e2e/env.sh"
# shellcheck source=../e2e/standin.sh
source "$E2E_DIR/standin.sh"
cd "$ROOT_DIR"

# ports: n8n +0 (task broker +1, CLI broker +2), stand-in +30; away from the e2e suite (5700) and the demo (5678/8443)
: "${BENCH_PORT_BASE:=5800}"
BENCH_T0=$(now)

bench_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_all
  exit "$rc"
}
trap bench_cleanup EXIT
trap 'echo; echo "interrupted"; exit 130' INT TERM

bench_setup() {
  local name="$1" messages="$2"; shift 2
  : "${BENCH_WORK:=$GW_CACHE/bench-$name}"
  rm -rf "$BENCH_WORK"; mkdir -p "$BENCH_WORK"
  N8N_PORT_=$BENCH_PORT_BASE; STANDIN_PORT=$((BENCH_PORT_BASE + 30))

  log "install (cached under $GW_CACHE)"
  bash "$E2E_DIR/install.sh" > "$BENCH_WORK/install.log" 2>&1 || { tail -20 "$BENCH_WORK/install.log"; return 1; }
  N8N_PREFIX="$(n8n_prefix)"

  local t; t=$(now)
  build_and_pack "$BENCH_WORK/pkg" "$BENCH_WORK" "$BENCH_WORK/build.log" || return 1
  log "packed $(basename "$TGZ") in $(since "$t")s"

  standin_start "$STANDIN_PORT" "$BENCH_WORK/standin.log" "$messages" || return 1

  MAIN_ENV="$BENCH_WORK/main.env"
  write_instance_env "$MAIN_ENV" "$E2E_N8N_VERSION" "$N8N_PORT_" "$BENCH_WORK/main" $((N8N_PORT_ + 1)) \
    "$(google_redirect_env "$STANDIN_PORT")" \
    "export EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS=true EXECUTIONS_DATA_PRUNE=false" \
    "$@"
  install_packed "$TGZ" "$BENCH_WORK/main"
  start_n8n main "$MAIN_ENV" "$BENCH_WORK/main.log" || return 1
  # start_bg runs `setsid n8n start` through exec: BG_PID is the n8n main process itself (checked, not assumed)
  N8N_PID=$BG_PID
  N8N_URL="http://127.0.0.1:$N8N_PORT_"
  if ! tr '\0' ' ' < "/proc/$N8N_PID/cmdline" | grep -q 'n8n start'; then
    echo "pid $N8N_PID is not the n8n process: $(tr '\0' ' ' < "/proc/$N8N_PID/cmdline")" >&2; return 1
  fi
  export N8N_PID N8N_URL STANDIN_PORT STANDIN_CA MAIN_ENV N8N_PREFIX BENCH_WORK
  log "setup done in $(since "$BENCH_T0")s (n8n pid $N8N_PID, $(node -p 'require("os").cpus().length') cores)"
}
