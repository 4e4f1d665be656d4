#!/usr/bin/env bash
# Runs fuzz targets from the committed seeds: `fuzz/run.sh SECONDS [TARGET…]` runs each for
# SECONDS; `FUZZ_RUNS=N fuzz/run.sh 0 [TARGET…]` runs each for N executions instead.
# Without targets, runs them all, as many at once as there are cores (each target runs on
# one; JOBS=N sets how many). Prints one summary line per target; exits non-zero when a
# target found something (its input is left in fuzz/artifacts/TARGET/).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
# The crate forbids unsafe code: run without a sanitizer, at about twice the speed.
cargo +nightly fuzz build -s none
# run TARGET LABEL: one target from its seeds, one summary line.
run() {
  local t=$1 label=$2
  mkdir -p "corpus/$t"
  local limit=(-max_total_time="$seconds")
  if [ -n "${FUZZ_RUNS:-}" ]; then limit=(-runs="$FUZZ_RUNS"); fi
  local dict=()
  if [ "$t" = verify_id_token ] || [ "$t" = jwt_header ]; then dict=(-dict=jwt.dict); fi
  local log
  log=$(mktemp)
  if ! cargo +nightly fuzz run -s none "$t" "corpus/$t" "corpus_seed/$t" -- \
      "${limit[@]}" "${dict[@]}" -print_final_stats=1 >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz $label: FAILED"
    return 1
  fi
  local runs
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  echo "fuzz $label: $runs executions, no finding"
  rm -f "$log"
}
jobs=${JOBS:-$(nproc)}
failed=0
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
  if [ "$t" = montgomery ]; then
    EXPECT_WORD_BITS=64 run "$t" "$t (64-bit words)" &
  else
    run "$t" "$t" &
  fi
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
[ "$failed" -eq 0 ] || exit 1
# The Montgomery arithmetic again with 32-bit words, in a target directory of its own;
# EXPECT_WORD_BITS makes the target check that this build really runs them.
if printf '%s\n' "${targets[@]}" | grep -qx montgomery; then
  export RUSTFLAGS="--cfg implicit_grant_word32" CARGO_TARGET_DIR=target-word32
  cargo +nightly fuzz build -s none montgomery
  EXPECT_WORD_BITS=32 run montgomery "montgomery (32-bit words)" || exit 1
fi
