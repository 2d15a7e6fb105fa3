# Source me (bash): Node 24, the cached n8n install, and helpers to run sandboxed, loopback-only n8n instances.
# Everything heavy lives under $GW_CACHE (default ~/.cache/n8n-nodes-gmail-workspace), outside git.
E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$E2E_DIR/../.." && pwd)"
export E2E_DIR ROOT_DIR
# shellcheck source=../../.ci/node24.sh
source "$ROOT_DIR/.ci/node24.sh"

: "${E2E_N8N_VERSION:=2.41.1}"
n8n_prefix() { echo "$GW_CACHE/n8n-${1:-$E2E_N8N_VERSION}"; }

# The test CA and the stand-in's TLS certificate (kept between runs; the stand-in makes them on first start).
: "${E2E_CA_DIR:=$GW_CACHE/standin-ca}"
export E2E_CA_DIR

# Fixed throwaway owner of every test/demo instance (loopback only). n8n wants 8+ chars, a digit, an upper-case letter.
: "${E2E_EMAIL:=owner@example.com}"
: "${E2E_PASSWORD:=Gmail-Workspace-0wner}"
export E2E_EMAIL E2E_PASSWORD

now() { date +%s.%N; }
since() { node -p "(($(date +%s.%N))-($1)).toFixed(1)"; }
log() { printf '>> %s\n' "$*"; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# write_instance_env FILE VERSION PORT USER_FOLDER BROKER_PORT [extra lines...]
# Everything one n8n instance (server and `n8n execute`) needs, in one file sourced in a subshell: several instances
# (main suite, community-package instance, n8n 1.x) can then live side by side without leaking variables.
write_instance_env() {
  local file="$1" version="$2" port="$3" folder="$4" broker="$5"; shift 5
  local prefix; prefix="$(n8n_prefix "$version")"
  {
    echo "export PATH='$prefix/node_modules/.bin':\"\$PATH\""
    echo "export N8N_USER_FOLDER='$folder'"
    echo "export N8N_PORT=$port N8N_LISTEN_ADDRESS=127.0.0.1 N8N_HOST=127.0.0.1 N8N_PROTOCOL=http"
    echo "export N8N_EDITOR_BASE_URL='http://127.0.0.1:$port' WEBHOOK_URL='http://127.0.0.1:$port/'"
    echo "export N8N_SECURE_COOKIE=false N8N_ENCRYPTION_KEY='gw-e2e-not-a-secret-0123456789' DB_TYPE=sqlite"
    echo "export N8N_RUNNERS_BROKER_LISTEN_ADDRESS=127.0.0.1 N8N_RUNNERS_BROKER_PORT=$broker"
    # `n8n execute` starts its own task broker: give it the next port (the server holds $broker)
    echo "export N8N_CLI_BROKER_PORT=$((broker + 1))"
    echo "export N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=true N8N_LOG_LEVEL=\${N8N_LOG_LEVEL:-info}"
    # no outbound network: keeps logs quiet and startup fast
    echo "export N8N_DIAGNOSTICS_ENABLED=false N8N_DIAGNOSTICS_CONFIG_FRONTEND= N8N_DIAGNOSTICS_CONFIG_BACKEND="
    echo "export N8N_VERSION_NOTIFICATIONS_ENABLED=false N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED=false"
    echo "export N8N_TEMPLATES_ENABLED=false N8N_PERSONALIZATION_ENABLED=false N8N_HIRING_BANNER_ENABLED=false"
    echo "export N8N_DYNAMIC_BANNERS_ENABLED=false N8N_LICENSE_AUTO_RENEW_ENABLED=false N8N_AI_ENABLED=false"
    echo "export EXTERNAL_FRONTEND_HOOKS_URLS= N8N_VERIFIED_PACKAGES_ENABLED=false"
    echo "export N8N_COMMUNITY_PACKAGES_ENABLED=true N8N_UNVERIFIED_PACKAGES_ENABLED=true"
    # community nodes as AI Agent / MCP tools (n8n 2.41.1 and 1.123.81 do not read it: grep of their code; for versions that do)
    echo "export N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE=true"
    # mcp-registry (2.x) polls api.n8n.io; naming a module a version lacks is fatal (1.x), so only where it exists
    if grep -qs "'mcp-registry'" "$prefix/node_modules/@n8n/backend-common/dist/modules/modules.config.js"; then
      echo "export N8N_DISABLED_MODULES=mcp-registry"
    fi
    for l in "$@"; do echo "$l"; done
  } > "$file"
}

# google_redirect_env STANDIN_TLS_PORT -> env lines that send n8n's Google connections to the stand-in
google_redirect_env() {
  echo "export NODE_OPTIONS=\"--require $E2E_DIR/google-redirect.cjs \${NODE_OPTIONS:-}\""
  echo "export NODE_EXTRA_CA_CERTS='$E2E_CA_DIR/ca.crt' REDIRECT_TO=127.0.0.1:$1"
}

# --- processes: every server runs in its own session (setsid), so stopping it takes its children along ---
E2E_PIDS=()
# start_bg NAME LOGFILE ENVFILE|- CMD...   -> pid in $BG_PID, remembered for stop_all
start_bg() {
  local name="$1" logf="$2" envf="$3"; shift 3
  if [ "$envf" = - ]; then
    setsid "$@" > "$logf" 2>&1 < /dev/null &
  else
    (source "$envf"; exec setsid "$@") > "$logf" 2>&1 < /dev/null &
  fi
  BG_PID=$!
  E2E_PIDS+=("$name:$BG_PID")
}

stop_pid() {
  local name="$1" pid="$2"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "   $name ($pid) ignored SIGTERM: SIGKILL" >&2
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
  fi
  # the session may hold children that outlived their leader (task runner): end them too
  pkill -KILL -s "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

stop_all() {
  local i entry
  for ((i=${#E2E_PIDS[@]}-1; i>=0; i--)); do
    entry="${E2E_PIDS[$i]}"; stop_pid "${entry%%:*}" "${entry##*:}"
  done
  E2E_PIDS=()
}

# wait_http URL SECONDS PID [CODE]  (fails early when PID died)
wait_http() {
  local url="$1" secs="$2" pid="$3" want="${4:-200}" n
  n=$(( secs * 4 ))
  for _ in $(seq 1 "$n"); do
    kill -0 "$pid" 2>/dev/null || return 1
    [ "$(curl -sk -o /dev/null -w '%{http_code}' "$url" 2>/dev/null)" = "$want" ] && return 0
    sleep 0.25
  done
  return 1
}

# start_n8n NAME ENVFILE LOGFILE  -> waits for readiness (and /rest/settings: n8n 1.x answers readiness early)
start_n8n() {
  local name="$1" envf="$2" logf="$3" port t0
  port=$(source "$envf"; echo "$N8N_PORT")
  port_free "$port" || { echo "port $port is busy" >&2; return 1; }
  t0=$(now)
  start_bg "$name" "$logf" "$envf" n8n start
  if ! wait_http "http://127.0.0.1:$port/healthz/readiness" 180 "$BG_PID" || \
     ! wait_http "http://127.0.0.1:$port/rest/settings" 60 "$BG_PID"; then
    echo "n8n ($name) did not come up; last log lines:" >&2; tail -40 "$logf" >&2; return 1
  fi
  log "$name: n8n $(source "$envf"; n8n --version 2>/dev/null | tail -1) ready on http://127.0.0.1:$port (pid $BG_PID) after $(since "$t0")s"
}

# install_packed TGZ USER_FOLDER: what n8n's installer ends with: the package in .n8n/nodes, peers omitted
install_packed() {
  local tgz="$1" nodes="$2/.n8n/nodes"
  mkdir -p "$nodes"
  [ -f "$nodes/package.json" ] || echo '{"name":"installed-nodes","private":true,"dependencies":{}}' > "$nodes/package.json"
  (cd "$nodes" && npm install --no-audit --no-fund --omit=peer --omit=dev --loglevel=error "$tgz" >/dev/null)
}

# build_and_pack PKG_DIR OUT_DIR LOG -> sets TGZ. Builds in a snapshot of the sources (PKG_DIR) so a concurrent
# `npm run build` or edit in the work tree cannot change what is tested, and the repo's dist/ is left alone.
# E2E_SKIP_BUILD=1 packs the repo's existing dist/ instead.
build_and_pack() {
  local pkg="$1" out="$2" logf="$3" f
  rm -rf "$pkg"; mkdir -p "$pkg" "$out"
  for f in package.json README.md LICENSE index.js tsconfig.json tsconfig.build.json gulpfile.js credentials nodes; do
    [ -e "$ROOT_DIR/$f" ] && cp -R "$ROOT_DIR/$f" "$pkg/"
  done
  ln -s "$ROOT_DIR/node_modules" "$pkg/node_modules"
  if [ "${E2E_SKIP_BUILD:-0}" = 1 ]; then
    log "E2E_SKIP_BUILD=1: packing the repo's existing dist/"; cp -R "$ROOT_DIR/dist" "$pkg/"
  elif ! (cd "$pkg" && npm run build --silent) > "$logf" 2>&1; then
    cat "$logf" >&2; return 1
  fi
  TGZ="$out/$(cd "$pkg" && npm pack --pack-destination "$out" --loglevel=error 2>/dev/null | tail -1)"
  [ -f "$TGZ" ]
}

# n8n_cli ENVFILE ARGS... : a CLI command against an instance's DB (own task-broker port)
n8n_cli() {
  local envf="$1"; shift
  (source "$envf"; export N8N_RUNNERS_BROKER_PORT="$N8N_CLI_BROKER_PORT"; exec n8n "$@")
}
