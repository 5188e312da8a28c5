#!/usr/bin/env bash
# Runs every test suite (or the one named) and ends with one line: "N passed, M failed".
#   scripts/run_tests.sh                 all suites
#   scripts/run_tests.sh unit-native     one suite: unit-native unit-wasm cli api e2e fuzz
# Exits non-zero when any test failed or a suite could not run.
set -uo pipefail
repo_dir=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_dir"
export NODE_PATH=/usr/share/nodejs
log_dir="$repo_dir/build/test-logs"
mkdir -p "$log_dir"

total_passed=0
total_failed=0
suite_lines=()

record() { # suite, passed, failed
  total_passed=$((total_passed + $2)); total_failed=$((total_failed + $3))
  suite_lines+=("$(printf '  %-12s %5d passed, %d failed' "$1" "$2" "$3")")
}

# doctest prints "[doctest] test cases: 12 | 12 passed | 0 failed | 0 skipped".
run_doctest() { # suite, command...
  local suite=$1; shift
  echo "==> test: $suite"
  "$@" > "$log_dir/$suite.log" 2>&1
  local rc=$?
  local line passed failed
  line=$(grep -a '^\[doctest\] test cases:' "$log_dir/$suite.log" | tail -1)
  passed=$(sed -n 's/.*| *\([0-9]*\) passed.*/\1/p' <<<"$line")
  failed=$(sed -n 's/.*| *\([0-9]*\) failed.*/\1/p' <<<"$line")
  if [ -z "$passed" ]; then passed=0; failed=1; fi
  if [ $rc -ne 0 ] && [ "$failed" = 0 ]; then failed=1; fi
  [ "$failed" = 0 ] || tail -60 "$log_dir/$suite.log"
  echo "$line"
  record "$suite" "$passed" "$failed"
}

# node --test with the TAP reporter ends with "# pass N" and "# fail M".
run_node_tests() { # suite, files...
  local suite=$1; shift
  echo "==> test: $suite"
  node --test --test-reporter=tap --test-concurrency=1 "$@" > "$log_dir/$suite.log" 2>&1
  local rc=$?
  local passed failed
  passed=$(grep -a '^# pass ' "$log_dir/$suite.log" | tail -1 | awk '{print $3}')
  failed=$(grep -a '^# fail ' "$log_dir/$suite.log" | tail -1 | awk '{print $3}')
  if [ -z "$passed" ]; then passed=0; failed=1; fi
  if [ $rc -ne 0 ] && [ "$failed" = 0 ]; then failed=1; fi
  [ "$failed" = 0 ] || grep -a -B2 -A30 '^not ok' "$log_dir/$suite.log" | head -120
  echo "  $passed passed, $failed failed"
  record "$suite" "$passed" "$failed"
}

selected=${1:-all}
run_suite() { [ "$selected" = all ] || [ "$selected" = "$1" ]; }

run_suite unit-native && run_doctest unit-native build/bin/loyalty_unit_tests --no-colors=true
# Node 20 with Emscripten 3.1.6 output needs --no-experimental-fetch to read the .wasm file.
run_suite unit-wasm && run_doctest unit-wasm node --no-experimental-fetch build/wasm-bin/loyalty_unit_tests.js --no-colors=true
# The console's font (cut down at build time) against the full one, with the page's ImGui.
run_suite unit-wasm && run_doctest console-font node --no-experimental-fetch build/wasm-bin/console_font_tests.js --no-colors=true
run_suite cli && run_node_tests cli tests/cli/*.test.mjs
run_suite api && run_node_tests api tests/api/*.test.mjs
run_suite e2e && run_node_tests e2e tests/e2e/*.test.mjs
# libFuzzer with AddressSanitizer and UndefinedBehaviorSanitizer over request decoding,
# for a bounded time (FUZZ_SECONDS, default 60): one test, passed when no input crashed.
if run_suite fuzz; then
  echo "==> test: fuzz"
  if bash scripts/run_fuzz.sh "${FUZZ_SECONDS:-60}" > "$log_dir/fuzz.log" 2>&1; then
    grep -a "stat::number_of_executed_units" "$log_dir/fuzz.log" | sed 's/^/  /'
    echo "  1 passed, 0 failed"
    record fuzz 1 0
  else
    tail -40 "$log_dir/fuzz.log"
    echo "  0 passed, 1 failed"
    record fuzz 0 1
  fi
fi

echo
echo "Suites (logs in build/test-logs):"
printf '%s\n' "${suite_lines[@]}"
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" = 0 ] && [ "$total_passed" -gt 0 ]
