#!/usr/bin/env bash
# End to end: the implicit flow in Chromium against oidc-provider, with implicit-grant
# compiled to WASM. Installs what it needs, builds and packs the npm package of the module
# (../wasm-flow/js/build.sh) and installs that tarball, as a user would; starts the
# provider, the app (which serves the installed package) and the API on free loopback
# ports, runs the scenarios, stops what it started.
# Usage: examples/e2e/e2e.sh [SCREENSHOT.png]   Ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
screenshot=${1:-}

if [ ! -x /usr/bin/chromium ] || ! command -v wasm-opt >/dev/null; then
  SUDO=$(command -v sudo || true)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium binaryen >/dev/null
fi
npm ci --no-audit --no-fund --silent
rustup target add wasm32-unknown-unknown >/dev/null
tarball=$(../wasm-flow/js/build.sh | tail -n 1)
npm install --no-save --no-audit --no-fund --silent "$tarball"

read -r op app api < <(node -e '
  const net = require("net");
  const free = () => new Promise((ok) => { const s = net.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => ok(p)); }); });
  Promise.all([free(), free(), free()]).then((p) => console.log(p.join(" ")));')

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
logs=$(mktemp -d)
node provider.mjs "$op" "$app" "$api" >"$logs/provider.log" 2>&1 & pids+=($!)
node app.mjs "$app" "$op" "$api" >"$logs/app.log" 2>&1 & pids+=($!)
node api.mjs "$api" "$op" "$app" >"$logs/api.log" 2>&1 & pids+=($!)
for port in "$op" "$app" "$api"; do
  for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
done
if ! node scenarios.mjs "$app" "$op" "$api" "$screenshot"; then
  tail -n 20 "$logs"/*.log
  exit 1
fi
