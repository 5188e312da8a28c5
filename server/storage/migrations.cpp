#include "server/storage/migrations.hpp"

#include <sqlite3.h>

#include <array>
#include <string>

#include "server/storage/statement.hpp"

namespace loyalty::server::storage {
namespace {

// Times are text in UTC, "2026-11-24T10:00:00Z": readable in the sqlite3 shell and sorted
// correctly as text.
constexpr std::string_view utc_now_sql = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

constexpr std::array migrations{
    Migration{
        1,
        "stores and command journal",
        R"sql(
CREATE TABLE stores (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  time_zone TEXT NOT NULL DEFAULT 'Asia/Ho_Chi_Minh',
  created_at_utc TEXT NOT NULL
) STRICT;

-- Append-only: a store's state is rebuilt by replaying its commands in sequence order.
-- Rows are never updated or deleted; the triggers make a mistake fail loudly.
CREATE TABLE journal (
  store_id TEXT NOT NULL REFERENCES stores(id),
  sequence INTEGER NOT NULL CHECK (sequence >= 1),
  command_json TEXT NOT NULL,
  recorded_at_utc TEXT NOT NULL,
  PRIMARY KEY (store_id, sequence)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER journal_is_append_only_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_is_append_only_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
)sql",
    },
    Migration{
        2,
        "staff, roles, sessions, API keys and the audit log",
        R"sql(
-- Staff sign in with an email and a password (hashed with Argon2id: libsodium's
-- crypto_pwhash_str); a staff member has one role in each store they work for.
CREATE TABLE staff (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at_utc TEXT NOT NULL
) STRICT;
CREATE TABLE staff_roles (
  staff_id INTEGER NOT NULL REFERENCES staff(id),
  store_id TEXT NOT NULL REFERENCES stores(id),
  role TEXT NOT NULL CHECK (role IN ('owner', 'marketing', 'support')),
  PRIMARY KEY (staff_id, store_id)
) STRICT, WITHOUT ROWID;
-- Only a hash of each session token is kept: a copy of the database signs no one in.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY NOT NULL,
  staff_id INTEGER NOT NULL REFERENCES staff(id),
  csrf_token TEXT NOT NULL,
  created_at_utc TEXT NOT NULL,
  last_seen_at_utc TEXT NOT NULL,
  expires_at_utc TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
) STRICT, WITHOUT ROWID;
-- A shop's checkout or web shop calls the API with a key limited to one store and scopes.
CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  store_id TEXT NOT NULL REFERENCES stores(id),
  name TEXT NOT NULL,
  key_prefix TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  created_by_staff_id INTEGER REFERENCES staff(id),
  created_at_utc TEXT NOT NULL,
  revoked_at_utc TEXT
) STRICT;
-- Every change to configuration, staff and keys, and every manual point operation: who,
-- when, what, before and after. Append-only, like the journal.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  store_id TEXT,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  before_json TEXT,
  after_json TEXT,
  recorded_at_utc TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_by_store ON audit_log(store_id, id);
CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql",
    },
    Migration{
        3,
        "idempotency records, snapshots, the outbox and webhooks",
        R"sql(
-- The first answer to a retried write, written in the same transaction as its command.
CREATE TABLE idempotency_records (
  store_id TEXT NOT NULL REFERENCES stores(id),
  principal TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  response_json TEXT NOT NULL,
  created_at_utc TEXT NOT NULL,
  PRIMARY KEY (store_id, principal, idempotency_key)
) STRICT, WITHOUT ROWID;
CREATE INDEX idempotency_records_by_age ON idempotency_records(created_at_utc);
-- A store's state after journal entry `sequence`, in the core's snapshot format.
CREATE TABLE snapshots (
  store_id TEXT NOT NULL REFERENCES stores(id),
  sequence INTEGER NOT NULL,
  format_version INTEGER NOT NULL,
  checksum TEXT NOT NULL,
  data BLOB NOT NULL,
  created_at_utc TEXT NOT NULL,
  PRIMARY KEY (store_id, sequence)
) STRICT, WITHOUT ROWID;
-- The core's events, written in the same transaction as the command that caused them;
-- webhook deliveries read from here.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  store_id TEXT NOT NULL REFERENCES stores(id),
  journal_sequence INTEGER NOT NULL,
  event_type TEXT NOT NULL,
  member_id TEXT,
  payload_json TEXT NOT NULL,
  created_at_utc TEXT NOT NULL
) STRICT;
CREATE INDEX outbox_by_store ON outbox(store_id, id);
CREATE TABLE webhook_endpoints (
  id INTEGER PRIMARY KEY,
  store_id TEXT NOT NULL REFERENCES stores(id),
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  event_types TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  disabled_reason TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  delivered_outbox_id INTEGER NOT NULL DEFAULT 0,
  next_attempt_at_utc TEXT,
  created_at_utc TEXT NOT NULL
) STRICT;
CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints(id),
  outbox_id INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  status_code INTEGER,
  error TEXT,
  attempted_at_utc TEXT NOT NULL
) STRICT;
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries(endpoint_id, id);
)sql",
    },
    Migration{
        4,
        "snapshots in chunks",
        R"sql(
-- A large store's snapshot passes SQLite's 1 GB limit on one value: it is kept in chunks,
-- each written in its own transaction (other stores' commits go on between them). The
-- snapshots row is written last, with chunk_count, so an unfinished snapshot is never read;
-- its chunks are removed by the next save. chunk_count 0: the bytes are in snapshots.data.
ALTER TABLE snapshots ADD COLUMN chunk_count INTEGER NOT NULL DEFAULT 0;
CREATE TABLE snapshot_chunks (
  store_id TEXT NOT NULL REFERENCES stores(id),
  sequence INTEGER NOT NULL,
  chunk_index INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (store_id, sequence, chunk_index)
) STRICT;
)sql",
    },
};

}  // namespace

StorageResult<std::int64_t> read_schema_version(sqlite3* connection) {
  Statement query(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!query.ok()) return StorageResult<std::int64_t>::failure(query.error_message());
  if (query.step() != SQLITE_ROW) {
    return StorageResult<std::int64_t>::failure(
        describe_error(connection, "reading the schema version"));
  }
  return StorageResult<std::int64_t>::success(query.column_integer(0));
}

namespace {

// One step in one transaction: either the step and its record are both kept, or neither.
StorageResult<Done> apply_one(sqlite3* connection, const Migration& migration) {
  const std::string label = "migration " + std::to_string(migration.version) + " (" +
                            std::string(migration.name) + ")";
  // IMMEDIATE takes the write lock now, so two servers starting on the same file cannot
  // both apply the same step; the second waits (busy timeout) and then sees it done.
  if (auto error = execute(connection, "BEGIN IMMEDIATE"); !error.empty()) {
    return StorageResult<Done>::failure(label + ": " + error);
  }
  auto rollback_with = [&](std::string message) {
    execute(connection, "ROLLBACK");
    return StorageResult<Done>::failure(label + ": " + message);
  };
  auto version = read_schema_version(connection);
  if (!version.ok()) return rollback_with(version.error_message());
  if (version.value() >= migration.version) {  // another process applied it meanwhile
    execute(connection, "ROLLBACK");
    return StorageResult<Done>::success({});
  }
  if (auto error = execute(connection, migration.sql); !error.empty()) {
    return rollback_with(error);
  }
  Statement record(connection,
                   "INSERT INTO schema_migrations (version, name, applied_at_utc) VALUES (?, ?, " +
                       std::string(utc_now_sql) + ")");
  if (!record.ok()) return rollback_with(record.error_message());
  record.bind_integer(1, migration.version);
  record.bind_text(2, migration.name);
  if (record.step() != SQLITE_DONE) {
    return rollback_with(describe_error(connection, "recording the migration"));
  }
  if (auto error = execute(connection, "COMMIT"); !error.empty()) return rollback_with(error);
  return StorageResult<Done>::success({});
}

}  // namespace

std::span<const Migration> all_migrations() { return migrations; }

StorageResult<std::int64_t> apply_migrations(sqlite3* connection) {
  const std::string create_table = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  applied_at_utc TEXT NOT NULL
) STRICT)sql";
  if (auto error = execute(connection, create_table); !error.empty()) {
    return StorageResult<std::int64_t>::failure("creating schema_migrations: " + error);
  }
  auto version = read_schema_version(connection);
  if (!version.ok()) return version;
  const std::int64_t newest_known_version = migrations.back().version;
  if (version.value() > newest_known_version) {
    return StorageResult<std::int64_t>::failure(
        "the database has schema version " + std::to_string(version.value()) +
        ", newer than this server knows (" + std::to_string(newest_known_version) +
        "); run a newer loyalty-server");
  }
  for (const Migration& migration : migrations) {
    if (migration.version <= version.value()) continue;
    auto applied = apply_one(connection, migration);
    if (!applied.ok()) return StorageResult<std::int64_t>::failure(applied.error_message());
  }
  return read_schema_version(connection);
}

}  // namespace loyalty::server::storage
