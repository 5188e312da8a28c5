// store_storage.hpp: everything the hosting of a store needs from storage, behind one
// interface: the store list, its journal, snapshots, idempotency records and the outbox.
//
// A store is the unit of placement: all of a store's rows are keyed by its id, and one
// writer (the store's host) appends to its journal. This interface is implemented on
// SQLite (sqlite_store_storage.cpp); a PostgreSQL implementation can let several servers
// share the stores, each store owned by one server at a time (README, "Scaling").
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/storage/storage_result.hpp"

namespace loyalty::server::storage {

struct StoreRecord {
  std::string store_id;
  std::string name;
  std::string time_zone;
};

struct IdempotencyRecord {
  std::string principal;            // who sent it: keys are scoped to their sender
  std::string idempotency_key;
  std::string request_hash;         // hex SHA-256 of method, path and body
  int status = 200;
  std::string response_json;
};

struct OutboxRow {
  std::string event_type;           // the core's event kind: "points_earned", "tier_changed", ...
  std::string member_id;            // empty when the event names no member
  std::string payload_json;
};

// One entry of the audit log (append-only): who, what, on what, before and after.
struct AuditRow {
  std::string actor;
  std::string action;               // "program.saved", "points.adjusted", ...
  std::string target;               // "member:M0000001", "program:3", ...
  std::string before_json;          // empty: none
  std::string after_json;
};

// What one group commit writes, in one transaction and one fsync.
struct CommitBatch {
  std::int64_t first_sequence = 1;              // the store's next journal sequence
  std::vector<std::string> journal_lines;       // in order
  std::vector<IdempotencyRecord> idempotency_records;
  std::vector<OutboxRow> outbox_rows;           // journal_sequence: the batch's last entry
  std::vector<AuditRow> audit_rows;             // manual operations, with the commands that made them
};

struct SnapshotRecord {
  std::int64_t sequence = 0;        // the last journal entry it includes
  std::int64_t format_version = 0;
  std::string checksum;
  std::string data;
};

// A snapshot saved piece by piece (a large store's passes SQLite's 1 GB limit on a value):
// chunks first, each durable on its own, then finish_snapshot makes it the newest at once.
struct SnapshotSummary {
  std::int64_t sequence = 0;
  std::int64_t format_version = 0;
  std::string checksum;
  std::int64_t chunk_count = 0;
};
inline constexpr std::size_t snapshot_chunk_bytes = 64u << 20;

class StoreStorage {
 public:
  virtual ~StoreStorage() = default;
  virtual StorageResult<std::vector<StoreRecord>> list_stores() = 0;
  virtual StorageResult<Done> create_store(const StoreRecord& store) = 0;
  // Entries after `after_sequence`, in order; gives the last sequence read (or after_sequence).
  virtual StorageResult<std::int64_t> read_journal(std::string_view store_id, std::int64_t after_sequence,
                                                   const std::function<void(std::int64_t, const std::string&)>& visit) = 0;
  // Everything in the batch or nothing. Refused (and nothing written) when the journal's
  // next sequence is not batch.first_sequence: another writer appended meanwhile.
  virtual StorageResult<Done> commit(std::string_view store_id, const CommitBatch& batch) = 0;
  virtual StorageResult<std::optional<IdempotencyRecord>> find_idempotency_record(std::string_view store_id,
                                                                                   std::string_view principal,
                                                                                   std::string_view idempotency_key) = 0;
  // Records older than `older_than_utc` ("2026-11-24T10:00:00Z") are removed; gives how many.
  virtual StorageResult<std::int64_t> expire_idempotency_records(std::string_view older_than_utc) = 0;
  // Whether the store has an enabled webhook endpoint that takes delivery_sent events (its
  // push gateway): without one, due deliveries wait for a sender that pulls them.
  virtual StorageResult<bool> has_push_gateway(std::string_view store_id) = 0;
  virtual StorageResult<std::optional<SnapshotRecord>> latest_snapshot(std::string_view store_id) = 0;
  // The whole snapshot at once: its chunks, then finish_snapshot.
  StorageResult<Done> save_snapshot(std::string_view store_id, const SnapshotRecord& snapshot);
  // Chunk `chunk_index` (0, 1, ...) of the snapshot after entry `sequence`; not read until
  // finished. Chunks left by a save that never finished are removed by the next one.
  virtual StorageResult<Done> save_snapshot_chunk(std::string_view store_id, std::int64_t sequence, std::int64_t chunk_index,
                                                  std::string_view bytes) = 0;
  // Makes the snapshot the store's newest, with all its chunks there, and removes older ones.
  virtual StorageResult<Done> finish_snapshot(std::string_view store_id, const SnapshotSummary& snapshot) = 0;
};

class Database;
// The SQLite implementation over the server's one database file.
std::unique_ptr<StoreStorage> make_sqlite_store_storage(Database& database);

}  // namespace loyalty::server::storage
