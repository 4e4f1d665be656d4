#!/usr/bin/env bash
# implicit-grant side by side with its std peers, on one fixture, in one run:
#   criterion medians, callgrind instruction counts (gungraun), allocations per call, and
#   wasm32 module sizes; then results.json, BENCHMARKS.md, benchmarks.svg and the README's
#   table. Installs what it lacks (the wasm32 target, gungraun-runner; valgrind, binaryen
#   and node through apt when run as root).
# Run from anywhere: bash benches/peers/run.sh     (about 10 minutes on 2 cores)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

rustup target add wasm32-unknown-unknown >/dev/null 2>&1
if ! command -v gungraun-runner >/dev/null; then
  cargo install --locked gungraun-runner --version 0.20.0
fi
missing=()
command -v valgrind >/dev/null || missing+=(valgrind)
command -v wasm-opt >/dev/null || missing+=(binaryen)
command -v node >/dev/null || missing+=(nodejs)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "run.sh: install ${missing[*]} first" >&2
    exit 1
  fi
fi

# The workspace's target directory (the repository root's), where criterion and gungraun
# write their results.
target=../../target
out=$target/report
rm -rf "$target/criterion" "$target/gungraun" "$out"
mkdir -p "$out"
echo "== allocations (and the fairness checks)" >&2
cargo bench --quiet --bench allocations >"$out/allocations.json"
echo "== speed (criterion)" >&2
cargo bench --quiet --bench speed
echo "== instructions (gungraun, callgrind)" >&2
cargo bench --quiet --bench instructions -- --save-summary=json
echo "== wasm32 sizes" >&2
bash size/size.sh >"$out/size.json"
python3 collect.py --allocations "$out/allocations.json" --criterion "$target/criterion" \
  --gungraun "$target/gungraun" --size "$out/size.json" >results.json
# BENCHMARKS.md and the chart; the README quotes five rows of it by hand.
python3 report.py results.json .
