#!/usr/bin/env bash
# server_restart_1m: the seconds from starting loyalty-server to /api/health answering, for a
# store of 1,000,000 members and 10,000,000 orders, from its newest snapshot and a journal
# tail of RESTART_BENCH_TAIL entries (default 10,000) written after it.
#   bench/api/run_restart_bench.sh   (from make bench; needs build/bin/loyalty-server, sqlite3)
# The store is built the way a real one grows: its journal is written, the server replays
# it once (server_start_full_replay_1m) and saves a snapshot; the tail is appended; then the
# restart is timed. It takes several minutes and about 20 GB of memory at its peak.
set -euo pipefail
repo_dir=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d -p "${RESTART_BENCH_DIR:-/tmp}")
server_pid=""
# RESTART_BENCH_KEEP=1 keeps the folder (its database), to time more restarts by hand.
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; [ -n "${RESTART_BENCH_KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"' EXIT
server=$repo_dir/build/bin/loyalty-server
database=$work/restart.db
members=${RESTART_BENCH_MEMBERS:-1000000}
orders=${RESTART_BENCH_ORDERS:-10000000}
tail_entries=${RESTART_BENCH_TAIL:-10000}
export LOYALTY_FAST_PASSWORD_HASH=1
seconds_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }

"$server" create-store --database "$database" --id big --name "Big" > /dev/null
began=$(date +%s.%N)
node "$repo_dir/bench/api/make_store_journal.mjs" big "$members" $((orders - tail_entries)) | sqlite3 "$database"
echo "bench server_restart_1m_journal_written $(seconds_since "$began") s" >&2
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start_server() { # sets start_s
  local started
  started=$(date +%s.%N)
  "$server" --port "$port" --database "$database" --web-root "$work" >> "$work/server.log" 2>&1 &
  server_pid=$!
  until curl -fs "http://127.0.0.1:$port/api/health" > /dev/null 2>&1; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.05
  done
  start_s=$(seconds_since "$started")
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }   # waits for a snapshot being saved

start_server
echo "bench server_start_full_replay_1m $start_s s"
stop_server
# The writes' only wait while a snapshot is taken: the fork of the whole store.
fork_ms=$(sed -n 's/.*forked in \([0-9]*\) ms.*/\1/p' "$work/server.log" | tail -1)
echo "bench server_snapshot_fork_1m ${fork_ms:-none} ms"
snapshot_at=$(sqlite3 "$database" "SELECT MAX(sequence) FROM snapshots WHERE store_id = 'big'")
[ -n "$snapshot_at" ] || { echo "no snapshot was saved" >&2; cat "$work/server.log" >&2; exit 1; }
journal_length=$(sqlite3 "$database" "SELECT MAX(sequence) FROM journal WHERE store_id = 'big'")
node "$repo_dir/bench/api/make_store_journal.mjs" big "$members" "$orders" $((orders - tail_entries + 1)) $((journal_length + 1)) \
  | sqlite3 "$database"
journal_length=$(sqlite3 "$database" "SELECT MAX(sequence) FROM journal WHERE store_id = 'big'")
echo "bench server_restart_1m_tail $((journal_length - snapshot_at)) entries"
echo "bench server_restart_1m_snapshot_bytes $(sqlite3 "$database" "SELECT SUM(LENGTH(data)) FROM snapshot_chunks WHERE store_id = 'big'") bytes"

start_server
echo "bench server_restart_1m $start_s s"
rss_kb=$(awk '/VmRSS/ { print $2 }' "/proc/$server_pid/status")
awk -v kb="$rss_kb" -v m="$members" 'BEGIN { printf "bench server_bytes_per_member_1m %d bytes\n", kb * 1024 / m }'
grep -q "ignoring snapshot" "$work/server.log" && { echo "the snapshot was not used" >&2; exit 1; }
grep "rebuilt:" "$work/server.log" | tail -1 >&2
stop_server
