# Source me (bash, after env.sh): start the Google stand-in over TLS with its own test CA.
#   standin_start PORT LOGFILE [MESSAGES]  -> sets STANDIN_PID, STANDIN_CA (the CA n8n must trust), STANDIN_URL
# The stand-in is test/standin/cli.ts (E2E_STANDIN_CLI overrides), run with Node 24 + tsx in one process.
: "${E2E_STANDIN_CLI:=$ROOT_DIR/test/standin/cli.ts}"

standin_start() {
  local port="$1" logf="$2" messages="${3:-20}" t0 line
  [ -f "$E2E_STANDIN_CLI" ] || { echo "stand-in CLI $E2E_STANDIN_CLI not found" >&2; return 1; }
  port_free "$port" || { echo "port $port is busy" >&2; return 1; }
  mkdir -p "$E2E_CA_DIR"
  t0=$(now)
  # run from the repo root so `--import tsx` resolves the project's tsx
  (cd "$ROOT_DIR" && exec setsid node --import tsx "$E2E_STANDIN_CLI" --port "$port" --tls --ca-dir "$E2E_CA_DIR" \
      --messages "$messages" ${E2E_STANDIN_QUOTA:+--quota "$E2E_STANDIN_QUOTA"}) > "$logf" 2>&1 < /dev/null &
  STANDIN_PID=$!
  E2E_PIDS+=("stand-in:$STANDIN_PID")
  for _ in $(seq 1 240); do
    grep -q "stand-in listening on https://127.0.0.1:$port" "$logf" 2>/dev/null && break
    kill -0 "$STANDIN_PID" 2>/dev/null || { echo "stand-in exited:" >&2; tail -30 "$logf" >&2; return 1; }
    sleep 0.25
  done
  grep -q "stand-in listening on https://127.0.0.1:$port" "$logf" || { tail -30 "$logf" >&2; return 1; }
  # the CLI prints the CA it generated (or kept); fall back to the conventional name
  STANDIN_CA=$(grep -oE '/[^ ]+\.(crt|pem)' "$logf" | grep -i ca | head -1)
  [ -n "$STANDIN_CA" ] || STANDIN_CA="$E2E_CA_DIR/ca.crt"
  [ -f "$STANDIN_CA" ] || { echo "stand-in CA $STANDIN_CA not found" >&2; return 1; }
  # the CA must be the one the preload's NODE_EXTRA_CA_CERTS points at
  [ "$STANDIN_CA" -ef "$E2E_CA_DIR/ca.crt" ] || cp "$STANDIN_CA" "$E2E_CA_DIR/ca.crt"
  STANDIN_URL="https://127.0.0.1:$port"
  export STANDIN_PID STANDIN_CA STANDIN_URL
  log "stand-in on $STANDIN_URL (pid $STANDIN_PID, CA $STANDIN_CA) after $(since "$t0")s"
}
