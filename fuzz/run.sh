#!/usr/bin/env bash
# Runs fuzz targets from the committed seeds: `fuzz/run.sh SECONDS [TARGET…]` runs each for
# SECONDS; `FUZZ_RUNS=N fuzz/run.sh 0 [TARGET…]` runs each for N executions instead.
# Without targets, runs them all. Prints one summary line per target; exits non-zero on
# the first finding (its input is left in fuzz/artifacts/TARGET/).
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
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  limit=(-max_total_time="$seconds")
  if [ -n "${FUZZ_RUNS:-}" ]; then limit=(-runs="$FUZZ_RUNS"); fi
  dict=()
  if [ "$t" = verify_id_token ] || [ "$t" = jwt_header ]; then dict=(-dict=jwt.dict); fi
  log=$(mktemp)
  if ! cargo +nightly fuzz run -s none "$t" "corpus/$t" "corpus_seed/$t" -- \
      "${limit[@]}" "${dict[@]}" -print_final_stats=1 >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz $t: FAILED"
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  echo "fuzz $t: $runs executions, no finding"
  rm -f "$log"
done
