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

# The accrual figures move with whatever else the machine does: run the benchmark
# BENCH_RUNS times (default 5) and print, for every figure, the median of the runs. Each
# run's own lines are kept in build/bench-logs/accrual_bench.<host>.<run>.txt.
bench_runs=${BENCH_RUNS:-5}
# Prints "bench <name> <median> <unit>" for every figure of the given files, in the order of
# the first file.
medians() {
  awk '$1 == "bench" {
         if (!($2 in count)) { order[++names] = $2; unit[$2] = $4 }
         values[$2, ++count[$2]] = $3
       }
       END {
         for (n = 1; n <= names; n++) {
           name = order[n]; k = count[name]
           for (i = 1; i <= k; i++) sorted[i] = values[name, i]
           for (i = 2; i <= k; i++) for (j = i; j > 1 && sorted[j - 1] + 0 > sorted[j] + 0; j--) {
             swap = sorted[j]; sorted[j] = sorted[j - 1]; sorted[j - 1] = swap
           }
           median = k % 2 ? sorted[(k + 1) / 2] : (sorted[k / 2] + sorted[k / 2 + 1]) / 2
           printf "bench %s %s %s\n", name, median, unit[name]
         }
       }' "$@"
}
accrual_runs() { # host, command...
  local host=$1; shift
  local files=()
  for run in $(seq 1 "$bench_runs"); do
    "$@" > "$log_dir/accrual_bench.$host.$run.txt"
    files+=("$log_dir/accrual_bench.$host.$run.txt")
  done
  medians "${files[@]}" | tee "$log_dir/accrual_bench.$host.txt"
}

accrual_runs native build/bin/accrual_bench
accrual_runs wasm node --no-experimental-fetch build/wasm-bin/accrual_bench.js
native_ns=$(figure "$log_dir/accrual_bench.native.txt" core_accrual_native_ns)
wasm_ns=$(figure "$log_dir/accrual_bench.wasm.txt" core_accrual_wasm_ns)
echo "bench core_accrual_wasm_over_native $(ratio "$wasm_ns" "$native_ns") ratio"

run_native member_search_bench
node --no-experimental-fetch build/wasm-bin/member_search_bench.js | sed 's/^bench core_search_/bench core_search_wasm_/' \
  | tee "$log_dir/member_search_bench.wasm.txt"

# Other benchmark programs (one per figure family), natively.
for program in build/bin/*_bench; do
  name=$(basename "$program")
  case "$name" in accrual_bench|member_search_bench) continue ;; esac
  run_native "$name"
done

# Customer groups (bench/group_bench.cpp) as wasm too: a dynamic group over 1,000,000
# members and a 100,000-row CSV import.
run_wasm group_bench

# The console (bench/console/console_frame.cpp, wasm as the page is built): ImGui's CPU time
# per frame while the 100,000-row members table scrolls.
run_wasm console_frame_bench

# The console in headless Chromium on loopback (bench/console/console_bench.mjs): what the
# first load downloads (compressed), the time to window.consoleReady, frames while idle.
node bench/console/console_bench.mjs | tee "$log_dir/console_bench.txt"
# Notifications (bench/notification_bench.cpp) as wasm too: the deliveries due of a
# notification to 1,000,000 members.
run_wasm notification_bench

# The API under load: wrk against the real server (bench/api/run_api_bench.sh).
bash bench/api/run_api_bench.sh | tee "$log_dir/api_bench.txt"

# Restart of a store of 1,000,000 members and 10,000,000 orders from snapshot + tail
# (bench/api/run_restart_bench.sh: several minutes, about 10 GB of memory at its peak).
# BENCH_RESTART_1M=0 leaves it out.
if [ "${BENCH_RESTART_1M:-1}" != "0" ]; then
  bash bench/api/run_restart_bench.sh | tee "$log_dir/restart_bench.txt"
fi
