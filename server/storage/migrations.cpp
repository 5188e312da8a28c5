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
