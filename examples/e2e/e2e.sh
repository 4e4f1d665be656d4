#!/usr/bin/env bash
# End to end: the implicit flow in Chromium, with implicit-grant compiled to WASM, against
# two OpenID Providers in turn: oidc-provider (Node) and django-oidc-provider (Python,
# Django, SQLite). Installs what it needs (Chromium, binaryen, the npm packages, a Python
# virtual environment with the pinned django/requirements.txt), builds and packs the npm
# package of the module (../wasm-flow/js/build.sh) and installs that tarball, as a user
# would. For each provider: starts it, the app (which serves the installed package) and the
# API on free loopback ports, runs the scenarios (scenarios.mjs), stops what it started.
# Usage: examples/e2e/e2e.sh [SCREENSHOT.png]
# Ends with one line per provider ("NAME: N passed, N failed, N skipped") and exits non-zero
# when a scenario failed.
set -euo pipefail
cd "$(dirname "$0")"
screenshot=${1:-}

if [ ! -x /usr/bin/chromium ] || ! command -v wasm-opt >/dev/null || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  SUDO=$(command -v sudo || true)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium binaryen python3-venv >/dev/null
fi
npm ci --no-audit --no-fund --silent
[ -x .venv/bin/pip ] || { rm -rf .venv; python3 -m venv .venv; }
.venv/bin/pip install --quiet --disable-pip-version-check -r django/requirements.txt
rustup target add wasm32-unknown-unknown >/dev/null
tarball=$(../wasm-flow/js/build.sh | tail -n 1)
npm install --no-save --no-audit --no-fund --silent "$tarball"

free_ports() {
  node -e '
    const net = require("net");
    const free = () => new Promise((ok) => { const s = net.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => ok(p)); }); });
    Promise.all([free(), free(), free()]).then((p) => console.log(p.join(" ")));'
}
# Waits up to 10 s for each port to accept connections.
wait_for() {
  local port _
  for port in "$@"; do
    for _ in $(seq 100); do
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue 2
      sleep 0.1
    done
    echo "nothing listens on 127.0.0.1:$port" >&2
    return 1
  done
}

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; pids=(); }
trap cleanup EXIT
logs=$(mktemp -d)
summary=()
failed=0

# Runs the scenarios against the provider whose issuer is $2 (started by the caller), the
# app on port $3, the API at $4; records the provider's summary line.
run() {
  local name=$1 issuer=$2 app=$3 api=$4 shot=${5:-} last
  node app.mjs "$app" "$issuer" "$api" >"$logs/$name-app.log" 2>&1 & pids+=($!)
  if ! wait_for "$app" || ! node scenarios.mjs "$name" "$app" "$issuer" "$api" ${shot:+"$shot"} | tee "$logs/$name.out"; then
    failed=1
    tail -n 20 "$logs"/"$name"-*.log
  fi
  last=$(tail -n 1 "$logs/$name.out" 2>/dev/null || true)
  [[ $last == "$name: "* ]] || last="$name: did not finish"
  summary+=("$last")
  cleanup
}
# Records that the provider $1 could not be started.
unstarted() {
  failed=1
  summary+=("$1: did not start")
  tail -n 20 "$logs"/"$1"-*.log 2>/dev/null || true
  cleanup
}

# oidc-provider, with the appointments API (api.mjs) checking its JWT access tokens.
read -r op app api < <(free_ports)
node provider.mjs "$op" "$app" "$api" >"$logs/oidc-provider-op.log" 2>&1 & pids+=($!)
node api.mjs "$api" "$op" "$app" >"$logs/oidc-provider-api.log" 2>&1 & pids+=($!)
if wait_for "$op" "$api"; then
  run oidc-provider "http://127.0.0.1:$op" "$app" "http://127.0.0.1:$api/api/appointments" "$screenshot"
else
  unstarted oidc-provider
fi

# django-oidc-provider, mounted at /openid (its issuer has a path), with its own
# appointments API (op/views.py) checking its opaque access tokens.
read -r op app _ < <(free_ports)
export E2E_OP_PORT=$op E2E_APP_PORT=$app E2E_DB=$logs/django.sqlite3
django() { .venv/bin/python django/manage.py "$@"; }
if django migrate --verbosity 0 >"$logs/django-oidc-provider-setup.log" 2>&1 &&
  django e2e_setup >>"$logs/django-oidc-provider-setup.log" 2>&1; then
  django runserver --noreload "127.0.0.1:$op" >"$logs/django-oidc-provider-op.log" 2>&1 & pids+=($!)
  if wait_for "$op"; then
    run django-oidc-provider "http://127.0.0.1:$op/openid" "$app" "http://127.0.0.1:$op/api/appointments"
  else
    unstarted django-oidc-provider
  fi
else
  unstarted django-oidc-provider
fi

printf '%s\n' "${summary[@]}"
exit "$failed"
