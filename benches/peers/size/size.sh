#!/usr/bin/env bash
# Builds the three wasm32 modules that do the callback of a login (ours, url + jsonwebtoken +
# sha2, url + openidconnect) with the workspace's `wasm` profile (opt-level z, LTO, symbols stripped), shrinks each with
# wasm-opt -Oz, runs each on the fixture under node, and prints their sizes as JSON.
# Needs the wasm32-unknown-unknown target, wasm-opt (binaryen) and node.
set -euo pipefail
cd "$(dirname "$0")"
# The workspace's target directory (the repository root's).
target=../../../target

# The features rustc's wasm32 output uses; wasm-opt must keep to them for node to load it.
features=(--enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int
  --enable-mutable-globals --enable-multivalue --enable-reference-types)

# sha2's compact software backend (SHA-256/512 as loops, not unrolled rounds), as a host
# that counts bytes builds it; the same setting for every module.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS='--cfg sha2_backend_soft="compact"'

entries=()
for crate in ours jwt oidc; do
  (cd "$crate" && cargo build --quiet --profile wasm --target wasm32-unknown-unknown)
  wasm="$target/wasm32-unknown-unknown/wasm/size_$crate.wasm"
  opt="$target/size_$crate.opt.wasm"
  wasm-opt -Oz "${features[@]}" "$wasm" -o "$opt"
  result=$(node run.mjs ../data/fixture.json "$opt" | cut -f2)
  echo "size: $crate: $(stat -c %s "$wasm") B, $(stat -c %s "$opt") B after wasm-opt; callback returned: $result" >&2
  case "$crate" in
    ours) name="implicit-grant"; ours=true ;;
    jwt) name="url + jsonwebtoken 11 (rust_crypto) + sha2"; ours=false ;;
    oidc) name="url + openidconnect 4"; ours=false ;;
  esac
  # 30 is the length of the fixture's `sub`: the module verified the login.
  if [ "$result" = 30 ] && [ "$crate" = ours ]; then
    note="the whole flow: begin, complete, Authorization header (the others: the callback only)"
  elif [ "$result" = 30 ]; then
    note=""
  elif [ "$crate" = ours ]; then
    echo "size: our module did not verify the fixture" >&2
    exit 1
  else
    note="runs only with wasm-bindgen JS glue (its clock comes from js-sys), not counted here"
  fi
  entries+=("{\"name\": \"$name\", \"ours\": $ours, \"stripped\": $(stat -c %s "$wasm"), \"wasm_opt\": $(stat -c %s "$opt"), \"note\": \"$note\"}")
done
(IFS=,; echo "[${entries[*]}]")
