#!/usr/bin/env bash
# Builds the npm package of the WASM module and its wrapper: the whole module (discovery,
# renewal, logout, the code flow: the default features) with every signature family but ES512, optimized
# with wasm-opt -Oz, beside the wrapper, then `npm pack`.
# Prints the tarball's path on its last line. Usage: js/build.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")"
out=$(realpath -m "${1:-../../../target/npm}")
cargo build -q --profile wasm --target wasm32-unknown-unknown --manifest-path ../Cargo.toml \
  --features ecdsa,eddsa
# The features rustc's wasm32 output uses, and no others: `--all-features` would let
# wasm-opt emit typed function references, which Node 20 and older browsers refuse.
wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
  --enable-mutable-globals --enable-multivalue --enable-reference-types \
  ../../../target/wasm32-unknown-unknown/wasm/implicit_grant_wasm.wasm -o implicit_grant.wasm
cp ../ABI.md ../../../LICENSE-MIT ../../../LICENSE-APACHE .
mkdir -p "$out"
tarball=$(npm pack --silent --pack-destination "$out")
printf '%s/%s\n' "$out" "$tarball"
