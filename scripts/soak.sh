#!/usr/bin/env bash
# The differential soak: random command streams from fresh seeds, checked against the
# auditor model and against their own replay, until the time is up.
#   scripts/soak.sh [SECONDS]        (make soak SECONDS=600)
# Prints the seed of every failing stream (with the command to reproduce it) and how many
# operations ran. Builds the unit tests natively in build/soak first; not part of make test.
set -euo pipefail
repo_dir=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-600}
build_dir="$repo_dir/build/soak"
cmake -S "$repo_dir" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DLOYALTY_OUTPUT_DIR="$build_dir/bin" > "$build_dir.configure.log" 2>&1 \
  || { cat "$build_dir.configure.log"; exit 1; }
cmake --build "$build_dir" --target loyalty_unit_tests -j "${JOBS:-$(nproc)}"
# Fresh seeds each run, far from the fixed seeds of make test.
first_seed=$(( ($(date +%s) % 100000) * 1000 + 10000000 ))
echo "==> soak: ${seconds} s from seed ${first_seed}"
LOYALTY_SOAK_SECONDS="$seconds" LOYALTY_SOAK_FIRST_SEED="$first_seed" LOYALTY_SOAK_KEEP_GOING="${KEEP_GOING:-1}" \
  "$build_dir/bin/loyalty_unit_tests" -tc="*differential soak*" --no-skip --no-colors=true
