# Source me (bash): functions for a throwaway verdaccio registry on 127.0.0.1.
#   registry_start DIR PORT   start one with storage under DIR (installs verdaccio into $GW_CACHE once)
#   registry_publish PKG_DIR  publish (replacing the same version) and print nothing
#   registry_stop             stop it
# verdaccio lives outside package.json: it needs an `overrides` entry (its audit plugin asks for
# node-fetch@cjs, a dist-tag the registry lacks), and n8n's rules forbid `overrides` in a node package.
TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

registry_install() {
  local vd="$GW_CACHE/verdaccio"
  [ -x "$vd/node_modules/.bin/verdaccio" ] && return 0
  mkdir -p "$vd"
  cat > "$vd/package.json" <<'JSON'
{ "name": "gw-verdaccio", "private": true,
  "dependencies": { "verdaccio": "6.10.4" },
  "overrides": { "verdaccio-audit": { "node-fetch": "2.7.0" } } }
JSON
  (cd "$vd" && npm install --no-audit --no-fund --loglevel=error >&2)
}

registry_start() {
  REGISTRY_DIR="$1"; REGISTRY_PORT="$2"; REGISTRY_URL="http://127.0.0.1:$REGISTRY_PORT"
  export REGISTRY_DIR REGISTRY_PORT REGISTRY_URL
  registry_install
  mkdir -p "$REGISTRY_DIR"
  cp "$TOOLS_DIR/verdaccio.yaml" "$REGISTRY_DIR/config.yaml"
  "$GW_CACHE/verdaccio/node_modules/.bin/verdaccio" --config "$REGISTRY_DIR/config.yaml" \
    --listen "127.0.0.1:$REGISTRY_PORT" > "$REGISTRY_DIR/verdaccio.log" 2>&1 &
  REGISTRY_PID=$!
  export REGISTRY_PID
  for _ in $(seq 1 80); do curl -sf "$REGISTRY_URL/-/ping" >/dev/null 2>&1 && return 0; sleep 0.25; done
  cat "$REGISTRY_DIR/verdaccio.log" >&2; return 1
}

registry_token() {
  # the first PUT registers the user and returns a token; later ones need HTTP Basic auth to log in
  local t
  t=$(curl -s -XPUT "$REGISTRY_URL/-/user/org.couchdb.user:gw" -H 'content-type: application/json' \
        -d '{"name":"gw","password":"gw-throwaway-pass"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token || ""')
  [ -n "$t" ] && [ "$t" != undefined ] || t=$(curl -s -u gw:gw-throwaway-pass -XPUT "$REGISTRY_URL/-/user/org.couchdb.user:gw" \
        -H 'content-type: application/json' -d '{"name":"gw","password":"gw-throwaway-pass"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token || ""')
  echo "$t"
}

registry_publish() {
  local pkg_dir="$1" token name version auth
  token=$(registry_token); [ -n "$token" ] || { echo "no verdaccio token" >&2; return 1; }
  auth="--//127.0.0.1:$REGISTRY_PORT/:_authToken=$token"
  name=$(node -p "require('$pkg_dir/package.json').name"); version=$(node -p "require('$pkg_dir/package.json').version")
  if npm view "$name@$version" version --registry "$REGISTRY_URL" >/dev/null 2>&1; then
    npm unpublish "$name@$version" --force --registry "$REGISTRY_URL" "$auth" --loglevel=error >/dev/null
  fi
  (cd "$pkg_dir" && npm publish --ignore-scripts --registry "$REGISTRY_URL" "$auth" --loglevel=error --tag latest >/dev/null)
}

registry_stop() {
  if [ -n "${REGISTRY_PID:-}" ]; then kill "$REGISTRY_PID" 2>/dev/null; wait "$REGISTRY_PID" 2>/dev/null || true; fi
  REGISTRY_PID=
}
