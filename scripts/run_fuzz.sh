#!/usr/bin/env bash
# Builds the request-decoding fuzz target with clang (libFuzzer, AddressSanitizer,
# UndefinedBehaviorSanitizer) and runs it for a bounded time over the corpus in
# tests/fuzz/corpus (new inputs it finds go to build/fuzz/corpus, not the repository).
#   scripts/run_fuzz.sh [SECONDS]     default 60
# Exits non-zero when the fuzzer finds a crash; the input is saved in build/fuzz/.
set -euo pipefail
repo_dir=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
out="$repo_dir/build/fuzz"
mkdir -p "$out/objects" "$out/corpus"
flags=(-std=c++20 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -I"$repo_dir")
sources=$(cd "$repo_dir" && find core -name '*.cpp' | sort; echo server/http/api_errors.cpp)
objects=()
for source in $sources; do objects+=("$out/objects/$(echo "$source" | tr / _).o"); done
for source in $sources; do
  object="$out/objects/$(echo "$source" | tr / _).o"
  # Rebuild only what changed (headers: any newer core or server header rebuilds all).
  if [ ! -f "$object" ] || [ "$repo_dir/$source" -nt "$object" ] || \
     [ -n "$(find "$repo_dir/core" "$repo_dir/server" -name '*.hpp' -newer "$object" -print -quit)" ]; then
    echo "$source"
  fi
done | xargs -r -P "$(nproc)" -I{} sh -c 'clang++ '"${flags[*]}"' -c "'"$repo_dir"'/{}" -o "'"$out"'/objects/$(echo {} | tr / _).o"'
clang++ "${flags[@]/fuzzer-no-link/fuzzer}" "$repo_dir/tests/fuzz/request_decoding_fuzz.cpp" "${objects[@]}" $(pkg-config --libs cpp-httplib) -o "$out/request_decoding_fuzz"
cd "$out"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ./request_decoding_fuzz -max_total_time="$seconds" -rss_limit_mb=4096 -max_len=4096 -print_final_stats=1 \
  corpus "$repo_dir/tests/fuzz/corpus/request_decoding"
