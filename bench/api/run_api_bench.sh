#!/usr/bin/env bash
# The API figures: wrk (32 connections) against the real server on loopback, with a store
# of 100,000 members; each figure measured in the same run, and the ratios between them.
#   bench/api/run_api_bench.sh      (from make bench; needs build/bin/loyalty-server and wrk)
set -euo pipefail
repo_dir=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
server=$repo_dir/build/bin/loyalty-server
database=$work/bench.db
duration=${API_BENCH_SECONDS:-10}
members=100000
orders=${API_BENCH_ORDERS:-1000000}
export LOYALTY_FAST_PASSWORD_HASH=1

"$server" create-store --database "$database" --id bench --name "Bench" > /dev/null
echo "bench-password-long" | "$server" create-staff --database "$database" --email bench@shop.vn --name Bench --store bench --role owner > /dev/null
node "$repo_dir/bench/api/make_store_journal.mjs" bench "$members" "$orders" > "$work/journal.sql"
sqlite3 "$database" < "$work/journal.sql"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# Starts the server and sets start_s to the seconds until /api/health answered (no
# command substitution: server_pid must be this shell's).
start_server() {
  local started
  started=$(date +%s.%N)
  "$server" --port "$port" --database "$database" --web-root "$work" > "$work/server.log" 2>&1 &
  server_pid=$!
  until curl -fs "http://127.0.0.1:$port/api/health" > /dev/null 2>&1; do sleep 0.02; done
  start_s=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
}
start_server
echo "bench server_start_full_replay_100k_members $start_s s"
# Restart: the first start saved a snapshot; this one loads it and replays the tail.
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
start_server
echo "bench server_restart_100k_members $start_s s"
echo "bench server_restart_100k_orders_count $orders orders"
rss_kb=$(awk '/VmRSS/ { print $2 }' "/proc/$server_pid/status")
awk -v kb="$rss_kb" -v m="$members" 'BEGIN { printf "bench server_bytes_per_member %d bytes\n", kb * 1024 / m }'

token=$(curl -s -H 'Content-Type: application/json' -d '{"email":"bench@shop.vn","password":"bench-password-long"}' \
  "http://127.0.0.1:$port/api/v1/auth/sign-in" | python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')
base="http://127.0.0.1:$port/api/v1/stores/bench"
# A checkout calls with an API key (scopes orders, holds, lookups), as shops' tills do.
token=$(curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"bench-till","scopes":["orders","holds","lookups"]}' "$base/api-keys" \
  | python3 -c 'import sys, json; body = json.load(sys.stdin); print(body.get("key") or body["api_key"]["key"])')
run_wrk() { # name, url, extra wrk arguments...
  local name=$1 url=$2; shift 2
  wrk -t 2 -c 32 -d "${duration}s" --latency -H "Authorization: Bearer $token" "$@" "$url" > "$work/$name.txt" 2>&1
  cat "$work/$name.txt" >> "$work/wrk.log"
}
requests_per_s() { awk '/^Requests\/sec:/ { print $2 }' "$work/$1.txt"; }
p99_ms() { awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }; print v }' "$work/$1.txt"; }
non_2xx() { awk '/Non-2xx/ { print $NF }' "$work/$1.txt"; }

run_wrk health "http://127.0.0.1:$port/api/health"
run_wrk order_complete "$base/orders" -s "$repo_dir/bench/api/order_complete.lua" -H 'Content-Type: application/json'
run_wrk member_lookup "$base/members/lookup?phone=0910012345"
run_wrk search "$base/members?query=nguyen%20van%20an&limit=20"
health=$(requests_per_s health)
orders_per_s=$(requests_per_s order_complete)
echo "bench api_health $health req/s"
echo "bench api_order_complete $orders_per_s req/s"
awk -v a="$orders_per_s" -v b="$health" 'BEGIN { printf "bench api_order_complete_over_health %.2f ratio\n", a / b }'
echo "bench api_order_complete_p99 $(p99_ms order_complete) ms"
echo "bench api_member_lookup_p99 $(p99_ms member_lookup) ms"
echo "bench api_search_p99 $(p99_ms search) ms"
cp "$work/wrk.log" "$repo_dir/build/bench-logs/api_wrk.log" 2>/dev/null || true
for name in health order_complete member_lookup search; do
  failed=$(non_2xx "$name")
  [ -z "$failed" ] || echo "warning: $name had $failed non-2xx answers" >&2
done
