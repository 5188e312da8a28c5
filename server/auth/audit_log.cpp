#include "server/auth/audit_log.hpp"

#include <sqlite3.h>

#include "server/auth/authenticator.hpp"
#include "server/auth/utc_time.hpp"
#include "server/storage/database.hpp"
#include "server/storage/statement.hpp"

namespace loyalty::server::auth {

using storage::Statement;
using storage::StorageResult;
using storage::describe_error;

StorageResult<std::int64_t> append_audit_entry(sqlite3* connection, std::string_view store_id,
                                               std::string_view actor, std::string_view action,
                                               std::string_view target,
                                               std::string_view before_json,
                                               std::string_view after_json) {
  Statement insert(connection,
                   "INSERT INTO audit_log (store_id, actor, action, target, before_json, "
                   "after_json, recorded_at_utc) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return StorageResult<std::int64_t>::failure(insert.error_message());
  if (!store_id.empty()) insert.bind_text(1, store_id);  // unbound parameters are NULL
  insert.bind_text(2, actor);
  insert.bind_text(3, action);
  insert.bind_text(4, target);
  if (!before_json.empty()) insert.bind_text(5, before_json);
  if (!after_json.empty()) insert.bind_text(6, after_json);
  insert.bind_text(7, format_utc_time(current_unix_time_s()));
  if (insert.step() != SQLITE_DONE) {
    return StorageResult<std::int64_t>::failure(describe_error(connection, "writing the audit log"));
  }
  return StorageResult<std::int64_t>::success(sqlite3_last_insert_rowid(connection));
}

StorageResult<AuditPage> audit_entries_after(sqlite3* connection, std::string_view store_id,
                                             std::int64_t after_id, std::int64_t limit) {
  Statement query(connection,
                  "SELECT id, recorded_at_utc, actor, action, target, before_json, after_json "
                  "FROM audit_log WHERE store_id = ? AND id > ? ORDER BY id LIMIT ?");
  if (!query.ok()) return StorageResult<AuditPage>::failure(query.error_message());
  query.bind_text(1, store_id);
  query.bind_integer(2, after_id);
  query.bind_integer(3, limit + 1);  // one more than asked tells whether there is more
  AuditPage page;
  int code = SQLITE_ROW;
  while ((code = query.step()) == SQLITE_ROW) {
    if (static_cast<std::int64_t>(page.entries.size()) == limit) {
      page.has_more = true;
      break;
    }
    AuditEntry entry{query.column_integer(0), query.column_text(1), query.column_text(2),
                     query.column_text(3), query.column_text(4), std::nullopt, std::nullopt};
    if (!query.column_is_null(5)) entry.before_json = query.column_text(5);
    if (!query.column_is_null(6)) entry.after_json = query.column_text(6);
    page.entries.push_back(std::move(entry));
  }
  if (code != SQLITE_ROW && code != SQLITE_DONE) {
    return StorageResult<AuditPage>::failure(describe_error(connection, "reading the audit log"));
  }
  return StorageResult<AuditPage>::success(std::move(page));
}

bool record_audit(storage::Database& database, std::string_view store_id, std::string_view actor,
                  std::string_view action, std::string_view target, std::string_view before_json,
                  std::string_view after_json) {
  return database.with_connection([&](sqlite3* connection) {
    return append_audit_entry(connection, store_id, actor, action, target, before_json, after_json)
        .ok();
  });
}

}  // namespace loyalty::server::auth
