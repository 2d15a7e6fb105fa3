#!/usr/bin/env bash
# npm run scan: publish the package to a throwaway verdaccio on 127.0.0.1, fetch it back from there as
# n8n's scanner does, and run @n8n/scan-community-package's analysis on it (see scan.mjs).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/.ci/node24.sh"
source "$ROOT/test/tools/registry.sh"
cd "$ROOT"
[ -f dist/nodes/GmailWorkspace/GmailWorkspace.node.js ] || npm run build --silent
WORK=$(mktemp -d /tmp/gw-scan.XXXXXX)
trap 'registry_stop; rm -rf "$WORK"' EXIT
registry_start "$WORK/registry" "${SCAN_REGISTRY_PORT:-4875}"
registry_publish "$ROOT"
echo ">> published $(node -p "require('./package.json').name+'@'+require('./package.json').version") to $REGISTRY_URL"
npm_config_registry="$REGISTRY_URL" node test/tools/scan.mjs "$(node -p "require('./package.json').name+'@'+require('./package.json').version")" "$ROOT" "$WORK"
