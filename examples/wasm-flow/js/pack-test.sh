#!/usr/bin/env bash
# The npm package as a user gets it: builds and packs it (build.sh), installs the tarball
# in a scratch project, and runs the Node tests there against the installed package.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
tarball=$("$here/build.sh" | tail -n 1)
echo "package: $tarball"
tar tzf "$tarball" | sed 's/^/  /'
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# The packed module is the whole flow: every export the wrapper calls.
tar xzOf "$tarball" package/implicit_grant.wasm >"$scratch/module.wasm"
for export in ig_configure ig_begin ig_begin_silent ig_complete ig_bearer ig_logout ig_error_len \
  ig_callback ig_redeem ig_drop ig_refresh_request ig_refresh; do
  grep -qa "$export" "$scratch/module.wasm" || { echo "the packed module lacks $export"; exit 1; }
done
rm "$scratch/module.wasm"
cp "$here/test.mjs" "$scratch/"
(
  cd "$scratch"
  npm init -y >/dev/null
  npm install --no-audit --no-fund --silent "$tarball"
  IG_PACKAGE=implicit-grant-wasm IG_KEYS="$repo/tests/data/keys.json" node --test test.mjs
)
