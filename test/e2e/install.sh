#!/usr/bin/env bash
# Install what the real-n8n suite needs, into $GW_CACHE (outside git), reusing whatever is already there:
#   Node 24 (npm package node@24)  ->  $GW_CACHE/node24
#   n8n 2.41.1 from runtime/package.json + package-lock.json, sqlite3 built from source  ->  $GW_CACHE/n8n-2.41.1
# usage: bash test/e2e/install.sh                  # n8n 2.41.1 (pinned by the lock)
#        E2E_N8N_VERSION=1.123.81 bash test/e2e/install.sh   # n8n 1.x for the smoke test (no lock; xlsx override)
# Idempotent: a second run only checks (a few seconds). Cold: ~3 min, ~2.9 GB.
set -euo pipefail
T0=$(date +%s.%N)
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
T1=$(now)
log "node $(node -v) ($(command -v node))"
PREFIX="$(n8n_prefix)"
mkdir -p "$PREFIX"
cd "$PREFIX"

# n8n itself. --ignore-scripts: install scripts of several n8n dependencies (sqlite3, kafka, oracledb, ...) fetch
# binaries from hosts this machine cannot reach; only sqlite3 matters and is rebuilt from source below.
if [ ! -x node_modules/.bin/n8n ] || [ ! -f .installed ]; then
  if [ "$E2E_N8N_VERSION" = "$(node -p "require('$E2E_DIR/runtime/package.json').dependencies.n8n")" ]; then
    cp "$E2E_DIR/runtime/package.json" "$E2E_DIR/runtime/package-lock.json" .
    # `npm install`, not `npm ci`: the lock names a few optional per-platform packages the registry lacks
    log "npm install n8n $E2E_N8N_VERSION from the lock into $PREFIX"
  else
    node -e '
      const p=require(process.argv[1]); p.dependencies.n8n=process.argv[2];
      p.overrides.xlsx = "0.18.5";   // n8n 1.x: n8n-nodes-base pulls xlsx from cdn.sheetjs.com (unreachable)
      require("fs").writeFileSync("package.json", JSON.stringify(p,null,2));' "$E2E_DIR/runtime/package.json" "$E2E_N8N_VERSION"
    rm -f package-lock.json
    log "npm install n8n $E2E_N8N_VERSION (no lock) into $PREFIX"
  fi
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error
  touch .installed
else
  log "n8n already installed in $PREFIX"
fi
T2=$(now)

# sqlite3 (N-API addon): prebuild download is unreachable -> node-gyp from source against Node 24's headers
if ! node -e "require('$PREFIX/node_modules/sqlite3')" 2>/dev/null; then
  log "building sqlite3 from source"
  npm rebuild sqlite3 --loglevel=error
fi
node -e "
const s=require('$PREFIX/node_modules/sqlite3');
new s.Database(':memory:').get('select sqlite_version() v',(e,r)=>{ if(e) throw e; console.log('>> sqlite3 ok', r.v); });"
T3=$(now)
log "n8n $("$PREFIX/node_modules/.bin/n8n" --version 2>/dev/null | tail -1) at $PREFIX"
log "install timings: node24 $(node -p "($T1-$T0).toFixed(1)")s, n8n $(node -p "($T2-$T1).toFixed(1)")s, sqlite3 $(node -p "($T3-$T2).toFixed(1)")s, total $(since "$T0")s"
