#include "server/storage/journal.hpp"

#include <sqlite3.h>

#include "server/storage/statement.hpp"

namespace loyalty::server::storage {

StorageResult<std::int64_t> Journal::append(std::string_view store_id,
                                            std::string_view command_json) {
  using Result = StorageResult<std::int64_t>;
  return database_.with_connection([&](sqlite3* connection) {
    // IMMEDIATE: take the write lock before reading the last sequence, so that another
    // process on the same file cannot pick the same number in between.
    if (auto error = execute(connection, "BEGIN IMMEDIATE"); !error.empty()) {
      return Result::failure("appending to the journal: " + error);
    }
    auto rollback_with = [&](std::string message) {
      execute(connection, "ROLLBACK");
      return Result::failure("appending to the journal: " + message);
    };
    // The primary key (store_id, sequence) makes this MAX a lookup of one index entry.
    Statement insert(connection, R"sql(
INSERT INTO journal (store_id, sequence, command_json, recorded_at_utc)
VALUES (?1,
        (SELECT COALESCE(MAX(sequence), 0) + 1 FROM journal WHERE store_id = ?1),
        ?2,
        strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
RETURNING sequence)sql");
    if (!insert.ok()) return rollback_with(insert.error_message());
    insert.bind_text(1, store_id);
    insert.bind_text(2, command_json);
    if (insert.step() != SQLITE_ROW) {
      return rollback_with(describe_error(connection, "inserting the entry"));
    }
    const std::int64_t sequence = insert.column_integer(0);
    if (insert.step() != SQLITE_DONE) {
      return rollback_with(describe_error(connection, "inserting the entry"));
    }
    // With synchronous=FULL in WAL mode, COMMIT returns after the WAL is fsynced.
    if (auto error = execute(connection, "COMMIT"); !error.empty()) return rollback_with(error);
    return Result::success(sequence);
  });
}

StorageResult<std::int64_t> Journal::read_all(
    std::string_view store_id, const std::function<void(const JournalEntry&)>& visit) {
  using Result = StorageResult<std::int64_t>;
  return database_.with_connection([&](sqlite3* connection) {
    Statement query(connection,
                    "SELECT sequence, command_json, recorded_at_utc FROM journal "
                    "WHERE store_id = ? ORDER BY sequence");
    if (!query.ok()) return Result::failure("reading the journal: " + query.error_message());
    query.bind_text(1, store_id);
    JournalEntry entry;
    entry.store_id = std::string(store_id);
    std::int64_t entry_count = 0;
    int code = SQLITE_ROW;
    while ((code = query.step()) == SQLITE_ROW) {
      entry.sequence = query.column_integer(0);
      entry.command_json = query.column_text(1);
      entry.recorded_at_utc = query.column_text(2);
      visit(entry);
      ++entry_count;
    }
    if (code != SQLITE_DONE) {
      return Result::failure(describe_error(connection, "reading the journal"));
    }
    return Result::success(entry_count);
  });
}

}  // namespace loyalty::server::storage
