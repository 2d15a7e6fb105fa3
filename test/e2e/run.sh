#!/usr/bin/env bash
# npm run e2e: an unmodified n8n 2.41.1 installs this package and runs workflows against the local Google stand-in.
#   1. install (cached): Node 24 + n8n 2.41.1 under $GW_CACHE          (install.sh)
#   2. build + npm pack this package
#   3. stand-in over TLS with its own test CA; n8n started with a --require preload that sends Google's hostnames
#      to it (google-redirect.cjs) and NODE_EXTRA_CA_CERTS = the stand-in's CA
#   4. n8n (loopback, fresh user folder) with the packed package npm-installed into .n8n/nodes (as n8n's installer does)
#   5. suite.mjs: ONE shared credential connected through the consent page as alice@example.com, plus one per other
#      scenario (admin@, carol@gmail.com, dave@, read-only, custom scopes, service-account key), each shared by its
#      cases; every case's workflow runs (`n8n execute --id`); token refresh; assertions on the stand-in's request log,
#      its state (read back through its Gmail API) and the execution output
#   6. browser.mjs (E2E_BROWSER=0 skips): headless Chromium through the editor, screenshots into docs/screenshots/
#   7. community.mjs (E2E_COMMUNITY=0 skips): a second, isolated n8n (E2E_TESTS=true) installs the package from a local
#      verdaccio through POST /rest/community-packages, the path of Settings -> Community nodes
#   8. n8n 1.123.x smoke (E2E_N8N1=0 skips): the package loads and a workflow runs
# Ends with "e2e: N passed, N failed"; exits non-zero on any failure; stops everything it started (also on Ctrl-C).
set -uo pipefail
T_START=$(date +%s.%N)
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT_DIR"
# a fresh clone: the project's own dev dependencies (tsc and friends build the package), with Node 24
if [ ! -x "$ROOT_DIR/node_modules/.bin/tsc" ]; then
  log "installing the project's dev dependencies (npm ci, Node $(node -v))"
  npm ci --no-audit --no-fund --loglevel=error || { echo "npm ci failed"; exit 1; }
fi

: "${E2E_BROWSER:=1}" "${E2E_COMMUNITY:=1}" "${E2E_N8N1:=1}"
: "${E2E_N8N1_VERSION:=1.123.81}"
: "${E2E_USER:=alice@example.com}"
: "${E2E_MESSAGES:=20}"
: "${E2E_PORT_BASE:=5700}"          # n8n main +0/+1/+2, community +10/+11/+12, n8n 1.x +20/+21/+22, stand-in +30, verdaccio +40
: "${E2E_WORK:=$GW_CACHE/e2e-run}"  # logs, user folders, results of the last run (wiped at the start of a run)
: "${E2E_SHOTS:=$ROOT_DIR/docs/screenshots}"
MAIN_PORT=$E2E_PORT_BASE; COMM_PORT=$((E2E_PORT_BASE + 10)); V1_PORT=$((E2E_PORT_BASE + 20))
STANDIN_PORT=$((E2E_PORT_BASE + 30)); VERDACCIO_PORT=$((E2E_PORT_BASE + 40))

rm -rf "$E2E_WORK"; mkdir -p "$E2E_WORK/results"
PASS=0; FAIL=0; WF_RUNS=0; SUMMARY=(); WF_BY_CRED=""
record() { # record NAME RESULTS_JSON | record NAME pass|fail
  local name="$1" what="$2" p f w
  if [ "$what" = pass ]; then p=1; f=0; w=0
  elif [ "$what" = fail ]; then p=0; f=1; w=0
  else read -r p f w < <(node -e 'try{const r=require(process.argv[1]);console.log(r.passed,r.failed,r.workflowsThroughCredential||0)}catch{console.log(0,1,0)}' "$what")
  fi
  PASS=$((PASS + p)); FAIL=$((FAIL + f)); WF_RUNS=$((WF_RUNS + w))
  SUMMARY+=("$(printf '%-44s %3s passed %3s failed' "$name" "$p" "$f")")
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local alive=0 e; for e in "${E2E_PIDS[@]}"; do kill -0 "${e##*:}" 2>/dev/null && alive=$((alive + 1)); done
  [ "$alive" -gt 0 ] && echo ">> stopping $alive process(es) still running"
  stop_all
  registry_stop 2>/dev/null || true
  exit "$rc"
}
trap cleanup EXIT
trap 'echo; echo "interrupted"; FAIL=$((FAIL+1)); exit 130' INT TERM

step() { echo; echo "=== $* ($(since "$T_START")s)"; }
summary() {
  step "summary"
  for l in "${SUMMARY[@]}"; do echo "   $l"; done
  echo "   workflow runs through the shared credential: $WF_RUNS"
  [ -n "$WF_BY_CRED" ] && echo "   workflow runs by credential: $WF_BY_CRED"
  echo "   timings: install ${INSTALL_S:-?}s, main suite ${SUITE_S:-?}s, total $(since "$T_START")s; logs in $E2E_WORK"
  echo "e2e: $PASS passed, $FAIL failed"
}
# a setup step failed: nothing after it can run
fatal() { echo "FATAL: $*"; record "$*" fail; summary; exit 1; }

step "install (cached under $GW_CACHE)"
T=$(now); bash "$E2E_DIR/install.sh" 2>&1 | sed 's/^/   /'; [ "${PIPESTATUS[0]}" = 0 ] || fatal "install n8n $E2E_N8N_VERSION"
INSTALL_S=$(since "$T")

step "build and pack $(node -p 'require("./package.json").name') (in a private copy: the repo's dist/ is left alone)"
T=$(now)
PKG_DIR="$E2E_WORK/pkg"
build_and_pack "$PKG_DIR" "$E2E_WORK" "$E2E_WORK/build.log" || fatal "build and pack"
log "$(basename "$TGZ") ($(du -k "$TGZ" | cut -f1) kB, $(tar tzf "$TGZ" | wc -l) files) in $(since "$T")s"

step "stand-in (TLS, own CA) on 127.0.0.1:$STANDIN_PORT"
# shellcheck source=standin.sh
source "$E2E_DIR/standin.sh"
standin_start "$STANDIN_PORT" "$E2E_WORK/standin.log" "$E2E_MESSAGES" || fatal "stand-in start"

step "n8n $E2E_N8N_VERSION with the packed package (127.0.0.1:$MAIN_PORT)"
MAIN_ENV="$E2E_WORK/main.env"
# the folder the "Read/Write Files from Disk" node may read (the send case's attachments are written there)
FILES_DIR="$E2E_WORK/files"; mkdir -p "$FILES_DIR"
write_instance_env "$MAIN_ENV" "$E2E_N8N_VERSION" "$MAIN_PORT" "$E2E_WORK/main" $((MAIN_PORT + 1)) \
  "$(google_redirect_env "$STANDIN_PORT")" "export N8N_RESTRICT_FILE_ACCESS_TO='$FILES_DIR'"
install_packed "$TGZ" "$E2E_WORK/main"
log "installed into $E2E_WORK/main/.n8n/nodes: $(ls "$E2E_WORK/main/.n8n/nodes/node_modules" | tr '\n' ' ')"
start_n8n main "$MAIN_ENV" "$E2E_WORK/main.log" || fatal "n8n $E2E_N8N_VERSION start"

step "suite: the shared credential and one per scenario, every workflow through its credential"
T=$(now)
node "$E2E_DIR/suite.mjs" --n8n-url "http://127.0.0.1:$MAIN_PORT" --env-file "$MAIN_ENV" \
  --standin-port "$STANDIN_PORT" --ca "$STANDIN_CA" --email "$E2E_EMAIL" --password "$E2E_PASSWORD" \
  --user "$E2E_USER" --results "$E2E_WORK/results/suite.json" --state "$E2E_WORK/main-state.json" --files-dir "$FILES_DIR"
record "n8n $E2E_N8N_VERSION suite" "$E2E_WORK/results/suite.json"
WF_BY_CRED=$(node -e 'try{const r=require(process.argv[1]);console.log(Object.entries(r.workflowsByCredential||{}).map(([k,n])=>`${k}${r.credentials?.[k]?.user?` (${r.credentials[k].user})`:""} ${n}`).join(", "))}catch{}' "$E2E_WORK/results/suite.json")
rm -rf "$FILES_DIR"  # 20 MiB of test input
SUITE_S=$(since "$T")

if [ "$E2E_BROWSER" = 1 ]; then
  step "browser: the editor in headless Chromium"
  mkdir -p "$E2E_SHOTS"
  node "$E2E_DIR/browser.mjs" --n8n-url "http://127.0.0.1:$MAIN_PORT" --email "$E2E_EMAIL" --password "$E2E_PASSWORD" \
    --state "$E2E_WORK/main-state.json" --shots "$E2E_SHOTS" --fail-dir "$E2E_WORK" --results "$E2E_WORK/results/browser.json"
  record "browser (editor, Chromium)" "$E2E_WORK/results/browser.json"
else
  echo; echo "=== browser: skipped (E2E_BROWSER=0)"
fi
stop_pid main "$BG_PID"

if [ "$E2E_COMMUNITY" = 1 ]; then
  step "community install: POST /rest/community-packages from a local registry (isolated n8n, E2E_TESTS=true)"
  # shellcheck source=../tools/registry.sh
  source "$ROOT_DIR/test/tools/registry.sh"
  if registry_start "$E2E_WORK/verdaccio" "$VERDACCIO_PORT" && registry_publish "$PKG_DIR"; then
    COMM_ENV="$E2E_WORK/community.env"
    write_instance_env "$COMM_ENV" "$E2E_N8N_VERSION" "$COMM_PORT" "$E2E_WORK/community" $((COMM_PORT + 1)) \
      "export E2E_TESTS=true N8N_COMMUNITY_PACKAGES_REGISTRY='$REGISTRY_URL'"
    mkdir -p "$E2E_WORK/community"
    if start_n8n community "$COMM_ENV" "$E2E_WORK/community.log"; then
      node "$E2E_DIR/community.mjs" --n8n-url "http://127.0.0.1:$COMM_PORT" --email "$E2E_EMAIL" --password "$E2E_PASSWORD" \
        --results "$E2E_WORK/results/community.json"
      record "community-package install (n8n installer)" "$E2E_WORK/results/community.json"
      stop_pid community "$BG_PID"
    else record "community-package install (n8n installer)" fail; fi
  else
    echo "local registry failed (log: $E2E_WORK/verdaccio/verdaccio.log)"; record "community-package install (n8n installer)" fail
  fi
  registry_stop
else
  echo; echo "=== community install: skipped (E2E_COMMUNITY=0)"
fi

if [ "$E2E_N8N1" = 1 ]; then
  step "n8n $E2E_N8N1_VERSION smoke: the package loads and a workflow runs"
  if E2E_N8N_VERSION="$E2E_N8N1_VERSION" bash "$E2E_DIR/install.sh" | sed 's/^/   /'; then
    V1_ENV="$E2E_WORK/v1.env"
    write_instance_env "$V1_ENV" "$E2E_N8N1_VERSION" "$V1_PORT" "$E2E_WORK/v1" $((V1_PORT + 1)) \
      "$(google_redirect_env "$STANDIN_PORT")"
    install_packed "$TGZ" "$E2E_WORK/v1"
    if start_n8n v1 "$V1_ENV" "$E2E_WORK/v1.log"; then
      node "$E2E_DIR/suite.mjs" --n8n-url "http://127.0.0.1:$V1_PORT" --env-file "$V1_ENV" \
        --standin-port "$STANDIN_PORT" --ca "$STANDIN_CA" --email "$E2E_EMAIL" --password "$E2E_PASSWORD" \
        --user "$E2E_USER" --smoke --results "$E2E_WORK/results/v1.json"
      record "n8n $E2E_N8N1_VERSION smoke" "$E2E_WORK/results/v1.json"
      stop_pid v1 "$BG_PID"
    else record "n8n $E2E_N8N1_VERSION smoke" fail; fi
  else
    record "n8n $E2E_N8N1_VERSION install" fail
  fi
else
  echo; echo "=== n8n 1.x smoke: skipped (E2E_N8N1=0)"
fi

summary
[ "$FAIL" = 0 ]
