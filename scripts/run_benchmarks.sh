#!/usr/bin/env bash
# Runs every benchmark natively and as wasm under Node, and prints each figure as
# `bench <name> <value> <unit>`, plus the wasm-over-native ratios.
set -euo pipefail
repo_dir=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_dir"
export NODE_PATH=/usr/share/nodejs
log_dir="$repo_dir/build/bench-logs"
mkdir -p "$log_dir"

run_native() { "build/bin/$1" | tee "$log_dir/$1.native.txt"; }
# Node 20 with Emscripten 3.1.6 output needs --no-experimental-fetch to read the .wasm file.
run_wasm() { node --no-experimental-fetch "build/wasm-bin/$1.js" | tee "$log_dir/$1.wasm.txt"; }
figure() { awk -v name="$2" '$1 == "bench" && $2 == name { print $3 }' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

run_native accrual_bench
run_wasm accrual_bench
native_ns=$(figure "$log_dir/accrual_bench.native.txt" core_accrual_native_ns)
wasm_ns=$(figure "$log_dir/accrual_bench.wasm.txt" core_accrual_wasm_ns)
echo "bench core_accrual_wasm_over_native $(ratio "$wasm_ns" "$native_ns") ratio"

run_native member_search_bench
node --no-experimental-fetch build/wasm-bin/member_search_bench.js | sed 's/^bench core_search_/bench core_search_wasm_/' \
  | tee "$log_dir/member_search_bench.wasm.txt"
