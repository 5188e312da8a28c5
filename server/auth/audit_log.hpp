// audit_log.hpp: the append-only audit log (who, when, what, on what, before and after).
//
// record_audit (authenticator.hpp) takes the Database and its lock; append_audit_entry
// takes a connection already held, to write the entry in the same transaction as the
// change it describes, so that neither is kept without the other.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/storage/storage_result.hpp"

struct sqlite3;

namespace loyalty::server::auth {

// `store_id` empty: an entry about no store (an operator's password reset). `before_json`
// and `after_json` are JSON texts, or empty for none (NULL).
storage::StorageResult<std::int64_t> append_audit_entry(
    sqlite3* connection, std::string_view store_id, std::string_view actor,
    std::string_view action, std::string_view target, std::string_view before_json,
    std::string_view after_json);

struct AuditEntry {
  std::int64_t id = 0;
  std::string recorded_at_utc;
  std::string actor;
  std::string action;
  std::string target;
  std::optional<std::string> before_json;
  std::optional<std::string> after_json;
};

struct AuditPage {
  std::vector<AuditEntry> entries;  // oldest first
  bool has_more = false;
};

// The store's entries with id > `after_id`, at most `limit` of them: a cursor that stays
// stable while new entries arrive (ids only grow; commits are serial in SQLite).
storage::StorageResult<AuditPage> audit_entries_after(sqlite3* connection,
                                                      std::string_view store_id,
                                                      std::int64_t after_id, std::int64_t limit);

}  // namespace loyalty::server::auth
