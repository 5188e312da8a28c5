// sqlite_store_storage.cpp: StoreStorage on the server's SQLite database (WAL,
// synchronous=FULL: a COMMIT returns once the WAL is on disk).
#include <sqlite3.h>

#include <algorithm>

#include "server/storage/database.hpp"
#include "server/storage/statement.hpp"
#include "server/storage/store_storage.hpp"

namespace loyalty::server::storage {

namespace {

constexpr std::string_view utc_now_sql = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

class SqliteStoreStorage final : public StoreStorage {
 public:
  explicit SqliteStoreStorage(Database& database) : database_(database) {}

  StorageResult<std::vector<StoreRecord>> list_stores() override {
    using Result = StorageResult<std::vector<StoreRecord>>;
    return database_.with_connection([&](sqlite3* connection) {
      Statement query(connection, "SELECT id, name, time_zone FROM stores ORDER BY id");
      if (!query.ok()) return Result::failure("listing the stores: " + query.error_message());
      std::vector<StoreRecord> stores;
      int code = SQLITE_ROW;
      while ((code = query.step()) == SQLITE_ROW) stores.push_back({query.column_text(0), query.column_text(1), query.column_text(2)});
      if (code != SQLITE_DONE) return Result::failure(describe_error(connection, "listing the stores"));
      return Result::success(std::move(stores));
    });
  }

  StorageResult<Done> create_store(const StoreRecord& store) override {
    using Result = StorageResult<Done>;
    return database_.with_connection([&](sqlite3* connection) {
      Statement insert(connection, "INSERT INTO stores (id, name, time_zone, created_at_utc) VALUES (?, ?, ?, " +
                                       std::string(utc_now_sql) + ")");
      if (!insert.ok()) return Result::failure("creating the store: " + insert.error_message());
      insert.bind_text(1, store.store_id);
      insert.bind_text(2, store.name);
      insert.bind_text(3, store.time_zone);
      if (insert.step() != SQLITE_DONE) return Result::failure(describe_error(connection, "creating the store"));
      return Result::success({});
    });
  }

  StorageResult<std::int64_t> read_journal(std::string_view store_id, std::int64_t after_sequence,
                                           const std::function<void(std::int64_t, const std::string&)>& visit) override {
    using Result = StorageResult<std::int64_t>;
    return database_.with_connection([&](sqlite3* connection) {
      Statement query(connection, "SELECT sequence, command_json FROM journal WHERE store_id = ? AND sequence > ? ORDER BY sequence");
      if (!query.ok()) return Result::failure("reading the journal: " + query.error_message());
      query.bind_text(1, store_id);
      query.bind_integer(2, after_sequence);
      std::int64_t last = after_sequence;
      int code = SQLITE_ROW;
      while ((code = query.step()) == SQLITE_ROW) {
        last = query.column_integer(0);
        visit(last, query.column_text(1));
      }
      if (code != SQLITE_DONE) return Result::failure(describe_error(connection, "reading the journal"));
      return Result::success(last);
    });
  }

  StorageResult<Done> commit(std::string_view store_id, const CommitBatch& batch) override {
    using Result = StorageResult<Done>;
    return database_.with_connection([&](sqlite3* connection) {
      if (auto error = execute(connection, "BEGIN IMMEDIATE"); !error.empty()) return Result::failure("committing: " + error);
      auto rollback_with = [&](const std::string& message) {
        execute(connection, "ROLLBACK");
        return Result::failure("committing: " + message);
      };
      {
        Statement last(connection, "SELECT COALESCE(MAX(sequence), 0) FROM journal WHERE store_id = ?");
        if (!last.ok()) return rollback_with(last.error_message());
        last.bind_text(1, store_id);
        if (last.step() != SQLITE_ROW) return rollback_with(describe_error(connection, "reading the last sequence"));
        if (last.column_integer(0) + 1 != batch.first_sequence) {
          return rollback_with("the journal of store " + std::string(store_id) + " was appended to by another writer");
        }
      }
      {
        Statement insert(connection, "INSERT INTO journal (store_id, sequence, command_json, recorded_at_utc) VALUES (?, ?, ?, " +
                                         std::string(utc_now_sql) + ")");
        if (!insert.ok()) return rollback_with(insert.error_message());
        std::int64_t sequence = batch.first_sequence;
        for (const std::string& line : batch.journal_lines) {
          insert.bind_text(1, store_id);
          insert.bind_integer(2, sequence++);
          insert.bind_text(3, line);
          if (insert.step() != SQLITE_DONE) return rollback_with(describe_error(connection, "appending to the journal"));
          insert.reset();
        }
      }
      if (!batch.idempotency_records.empty()) {
        Statement insert(connection,
                         "INSERT INTO idempotency_records (store_id, principal, idempotency_key, request_hash, status, "
                         "response_json, created_at_utc) VALUES (?, ?, ?, ?, ?, ?, " + std::string(utc_now_sql) + ")");
        if (!insert.ok()) return rollback_with(insert.error_message());
        for (const IdempotencyRecord& record : batch.idempotency_records) {
          insert.bind_text(1, store_id);
          insert.bind_text(2, record.principal);
          insert.bind_text(3, record.idempotency_key);
          insert.bind_text(4, record.request_hash);
          insert.bind_integer(5, record.status);
          insert.bind_text(6, record.response_json);
          if (insert.step() != SQLITE_DONE) return rollback_with(describe_error(connection, "recording an idempotency key"));
          insert.reset();
        }
      }
      if (!batch.outbox_rows.empty()) {
        Statement insert(connection,
                         "INSERT INTO outbox (store_id, journal_sequence, event_type, member_id, payload_json, created_at_utc) "
                         "VALUES (?, ?, ?, ?, ?, " + std::string(utc_now_sql) + ")");
        if (!insert.ok()) return rollback_with(insert.error_message());
        const std::int64_t last_sequence = batch.first_sequence + static_cast<std::int64_t>(batch.journal_lines.size()) - 1;
        for (const OutboxRow& row : batch.outbox_rows) {
          insert.bind_text(1, store_id);
          insert.bind_integer(2, last_sequence);
          insert.bind_text(3, row.event_type);
          insert.bind_text(4, row.member_id);
          insert.bind_text(5, row.payload_json);
          if (insert.step() != SQLITE_DONE) return rollback_with(describe_error(connection, "writing the outbox"));
          insert.reset();
        }
      }
      if (!batch.audit_rows.empty()) {
        Statement insert(connection,
                         "INSERT INTO audit_log (store_id, actor, action, target, before_json, after_json, recorded_at_utc) "
                         "VALUES (?, ?, ?, ?, NULLIF(?, ''), NULLIF(?, ''), " + std::string(utc_now_sql) + ")");
        if (!insert.ok()) return rollback_with(insert.error_message());
        for (const AuditRow& row : batch.audit_rows) {
          insert.bind_text(1, store_id);
          insert.bind_text(2, row.actor);
          insert.bind_text(3, row.action);
          insert.bind_text(4, row.target);
          insert.bind_text(5, row.before_json);
          insert.bind_text(6, row.after_json);
          if (insert.step() != SQLITE_DONE) return rollback_with(describe_error(connection, "writing the audit log"));
          insert.reset();
        }
      }
      // With synchronous=FULL in WAL mode, COMMIT returns after the WAL is fsynced.
      if (auto error = execute(connection, "COMMIT"); !error.empty()) return rollback_with(error);
      return Result::success({});
    });
  }

  StorageResult<std::optional<IdempotencyRecord>> find_idempotency_record(std::string_view store_id, std::string_view principal,
                                                                           std::string_view idempotency_key) override {
    using Result = StorageResult<std::optional<IdempotencyRecord>>;
    return database_.with_connection([&](sqlite3* connection) {
      Statement query(connection,
                      "SELECT request_hash, status, response_json FROM idempotency_records "
                      "WHERE store_id = ? AND principal = ? AND idempotency_key = ?");
      if (!query.ok()) return Result::failure("reading an idempotency key: " + query.error_message());
      query.bind_text(1, store_id);
      query.bind_text(2, principal);
      query.bind_text(3, idempotency_key);
      const int code = query.step();
      if (code == SQLITE_DONE) return Result::success(std::nullopt);
      if (code != SQLITE_ROW) return Result::failure(describe_error(connection, "reading an idempotency key"));
      IdempotencyRecord record{std::string(principal), std::string(idempotency_key), query.column_text(0),
                               static_cast<int>(query.column_integer(1)), query.column_text(2)};
      return Result::success(std::optional<IdempotencyRecord>(std::move(record)));
    });
  }

  StorageResult<std::int64_t> expire_idempotency_records(std::string_view older_than_utc) override {
    using Result = StorageResult<std::int64_t>;
    return database_.with_connection([&](sqlite3* connection) {
      Statement remove(connection, "DELETE FROM idempotency_records WHERE created_at_utc < ?");
      if (!remove.ok()) return Result::failure("expiring idempotency keys: " + remove.error_message());
      remove.bind_text(1, older_than_utc);
      if (remove.step() != SQLITE_DONE) return Result::failure(describe_error(connection, "expiring idempotency keys"));
      return Result::success(static_cast<std::int64_t>(sqlite3_changes(connection)));
    });
  }

  StorageResult<bool> has_push_gateway(std::string_view store_id) override {
    using Result = StorageResult<bool>;
    return database_.with_connection([&](sqlite3* connection) {
      Statement query(connection,
                      "SELECT 1 FROM webhook_endpoints WHERE store_id = ? AND enabled = 1 AND EXISTS "
                      "(SELECT 1 FROM json_each(event_types) WHERE value IN ('*', 'delivery_sent')) LIMIT 1");
      if (!query.ok()) return Result::failure("reading the push gateway: " + query.error_message());
      query.bind_text(1, store_id);
      const int code = query.step();
      if (code != SQLITE_ROW && code != SQLITE_DONE) return Result::failure(describe_error(connection, "reading the push gateway"));
      return Result::success(code == SQLITE_ROW);
    });
  }

  StorageResult<std::optional<SnapshotRecord>> latest_snapshot(std::string_view store_id) override {
    using Result = StorageResult<std::optional<SnapshotRecord>>;
    return database_.with_connection([&](sqlite3* connection) {
      Statement query(connection,
                      "SELECT sequence, format_version, checksum, data, chunk_count FROM snapshots WHERE store_id = ? "
                      "ORDER BY sequence DESC LIMIT 1");
      if (!query.ok()) return Result::failure("reading a snapshot: " + query.error_message());
      query.bind_text(1, store_id);
      const int code = query.step();
      if (code == SQLITE_DONE) return Result::success(std::nullopt);
      if (code != SQLITE_ROW) return Result::failure(describe_error(connection, "reading a snapshot"));
      SnapshotRecord record{query.column_integer(0), query.column_integer(1), query.column_text(2), query.column_blob(3)};
      const std::int64_t chunk_count = query.column_integer(4);
      if (chunk_count == 0) return Result::success(std::optional<SnapshotRecord>(std::move(record)));
      // The chunks in order, into one buffer sized once (a large store's is gigabytes), each
      // read straight into its place with SQLite's incremental blob reads: no 64 MB copy
      // in between. length() of a blob reads no overflow pages.
      Statement chunks(connection,
                       "SELECT rowid, chunk_index, length(data) FROM snapshot_chunks WHERE store_id = ? AND sequence = ? "
                       "ORDER BY chunk_index");
      if (!chunks.ok()) return Result::failure("reading a snapshot: " + chunks.error_message());
      chunks.bind_text(1, store_id);
      chunks.bind_integer(2, record.sequence);
      struct Chunk {
        std::int64_t rowid;
        std::int64_t bytes;
      };
      std::vector<Chunk> found;
      std::int64_t total_bytes = 0;
      int step = SQLITE_ROW;
      while ((step = chunks.step()) == SQLITE_ROW) {
        if (chunks.column_integer(1) != static_cast<std::int64_t>(found.size())) break;   // a gap: unusable
        found.push_back({chunks.column_integer(0), chunks.column_integer(2)});
        total_bytes += found.back().bytes;
      }
      if (step != SQLITE_ROW && step != SQLITE_DONE) return Result::failure(describe_error(connection, "reading a snapshot's chunks"));
      record.data.clear();
      // Chunks missing: the snapshot cannot be used (it reads as too short), the journal is the truth.
      if (static_cast<std::int64_t>(found.size()) != chunk_count) return Result::success(std::optional<SnapshotRecord>(std::move(record)));
      record.data.resize(static_cast<std::size_t>(total_bytes));
      std::size_t offset = 0;
      for (const Chunk& chunk : found) {
        sqlite3_blob* blob = nullptr;
        if (sqlite3_blob_open(connection, "main", "snapshot_chunks", "data", chunk.rowid, 0, &blob) != SQLITE_OK) {
          sqlite3_blob_close(blob);
          return Result::failure(describe_error(connection, "opening a snapshot chunk"));
        }
        const int read = sqlite3_blob_read(blob, record.data.data() + offset, static_cast<int>(chunk.bytes), 0);
        sqlite3_blob_close(blob);
        if (read != SQLITE_OK) return Result::failure(describe_error(connection, "reading a snapshot chunk"));
        offset += static_cast<std::size_t>(chunk.bytes);
      }
      return Result::success(std::optional<SnapshotRecord>(std::move(record)));
    });
  }

  StorageResult<Done> save_snapshot_chunk(std::string_view store_id, std::int64_t sequence, std::int64_t chunk_index,
                                          std::string_view bytes) override {
    using Result = StorageResult<Done>;
    return database_.with_connection([&](sqlite3* connection) {
      if (chunk_index == 0) {
        // What an unfinished save left behind (a crash, or a failed chunk) goes first, and a
        // snapshot after the same entry (one that did not read) is replaced whole.
        if (auto error = execute(connection, "BEGIN IMMEDIATE"); !error.empty()) return Result::failure("saving a snapshot: " + error);
        Statement remove_row(connection, "DELETE FROM snapshots WHERE store_id = ?1 AND sequence = ?2");
        Statement remove(connection,
                         "DELETE FROM snapshot_chunks WHERE store_id = ?1 AND (sequence = ?2 OR sequence NOT IN "
                         "(SELECT sequence FROM snapshots WHERE store_id = ?1))");
        if (!remove_row.ok() || !remove.ok()) {
          execute(connection, "ROLLBACK");
          return Result::failure("saving a snapshot: " + remove_row.error_message() + remove.error_message());
        }
        remove_row.bind_text(1, store_id);
        remove_row.bind_integer(2, sequence);
        remove.bind_text(1, store_id);
        remove.bind_integer(2, sequence);
        if (remove_row.step() != SQLITE_DONE || remove.step() != SQLITE_DONE) {
          const std::string error = describe_error(connection, "removing unfinished snapshot chunks");
          execute(connection, "ROLLBACK");
          return Result::failure(error);
        }
        if (auto error = execute(connection, "COMMIT"); !error.empty()) return Result::failure("saving a snapshot: " + error);
      }
      Statement insert(connection, "INSERT OR REPLACE INTO snapshot_chunks (store_id, sequence, chunk_index, data) VALUES (?, ?, ?, ?)");
      if (!insert.ok()) return Result::failure("saving a snapshot chunk: " + insert.error_message());
      insert.bind_text(1, store_id);
      insert.bind_integer(2, sequence);
      insert.bind_integer(3, chunk_index);
      insert.bind_blob(4, bytes);
      if (insert.step() != SQLITE_DONE) return Result::failure(describe_error(connection, "saving a snapshot chunk"));
      return Result::success({});
    });
  }

  StorageResult<Done> finish_snapshot(std::string_view store_id, const SnapshotSummary& snapshot) override {
    using Result = StorageResult<Done>;
    return database_.with_connection([&](sqlite3* connection) {
      // The newest snapshot is enough to start from; older ones are removed with it.
      if (auto error = execute(connection, "BEGIN IMMEDIATE"); !error.empty()) return Result::failure("saving a snapshot: " + error);
      auto rollback_with = [&](const std::string& message) {
        execute(connection, "ROLLBACK");
        return Result::failure("saving a snapshot: " + message);
      };
      Statement count(connection, "SELECT COUNT(*) FROM snapshot_chunks WHERE store_id = ? AND sequence = ?");
      Statement insert(connection,
                       "INSERT OR REPLACE INTO snapshots (store_id, sequence, format_version, checksum, data, chunk_count, "
                       "created_at_utc) VALUES (?, ?, ?, ?, X'', ?, " + std::string(utc_now_sql) + ")");
      Statement remove(connection, "DELETE FROM snapshots WHERE store_id = ? AND sequence < ?");
      Statement remove_chunks(connection, "DELETE FROM snapshot_chunks WHERE store_id = ? AND sequence < ?");
      if (!count.ok() || !insert.ok() || !remove.ok() || !remove_chunks.ok()) {
        return rollback_with(count.error_message() + insert.error_message() + remove.error_message() + remove_chunks.error_message());
      }
      count.bind_text(1, store_id);
      count.bind_integer(2, snapshot.sequence);
      if (count.step() != SQLITE_ROW) return rollback_with(describe_error(connection, "counting a snapshot's chunks"));
      if (count.column_integer(0) != snapshot.chunk_count) {
        return rollback_with(std::to_string(count.column_integer(0)) + " chunks were saved, " + std::to_string(snapshot.chunk_count) +
                             " expected");
      }
      insert.bind_text(1, store_id);
      insert.bind_integer(2, snapshot.sequence);
      insert.bind_integer(3, snapshot.format_version);
      insert.bind_text(4, snapshot.checksum);
      insert.bind_integer(5, snapshot.chunk_count);
      remove.bind_text(1, store_id);
      remove.bind_integer(2, snapshot.sequence);
      remove_chunks.bind_text(1, store_id);
      remove_chunks.bind_integer(2, snapshot.sequence);
      if (insert.step() != SQLITE_DONE || remove.step() != SQLITE_DONE || remove_chunks.step() != SQLITE_DONE) {
        return rollback_with(describe_error(connection, "saving a snapshot"));
      }
      if (auto error = execute(connection, "COMMIT"); !error.empty()) return rollback_with(error);
      return Result::success({});
    });
  }

 private:
  Database& database_;
};

}  // namespace

StorageResult<Done> StoreStorage::save_snapshot(std::string_view store_id, const SnapshotRecord& snapshot) {
  std::int64_t chunk_count = 0;
  for (std::size_t offset = 0; offset < snapshot.data.size() || chunk_count == 0; offset += snapshot_chunk_bytes) {
    const std::string_view chunk = std::string_view(snapshot.data).substr(std::min(offset, snapshot.data.size()), snapshot_chunk_bytes);
    if (auto saved = save_snapshot_chunk(store_id, snapshot.sequence, chunk_count, chunk); !saved.ok()) return saved;
    ++chunk_count;
  }
  return finish_snapshot(store_id, {snapshot.sequence, snapshot.format_version, snapshot.checksum, chunk_count});
}

std::unique_ptr<StoreStorage> make_sqlite_store_storage(Database& database) {
  return std::make_unique<SqliteStoreStorage>(database);
}

}  // namespace loyalty::server::storage
