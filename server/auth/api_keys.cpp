#include "server/auth/api_keys.hpp"

#include <sqlite3.h>

#include <array>

#include "server/auth/secrets.hpp"
#include "server/storage/statement.hpp"

namespace loyalty::server::auth {
namespace {

using storage::Done;
using storage::Statement;
using storage::StorageResult;
using storage::describe_error;

constexpr std::array<std::string_view, 4> scope_names{"orders", "holds", "lookups", "vouchers"};
// "lk_" and 8 characters of the random part: enough to tell a store's keys apart, far
// too little to guess the rest (the other 35 characters carry about 210 bits).
constexpr std::size_t shown_prefix_bytes = 11;

// Scopes are kept as "orders holds": a small fixed vocabulary, no JSON needed.
std::string join_scopes(const std::vector<std::string>& scopes) {
  std::string text;
  for (const std::string& scope : scopes) {
    if (!text.empty()) text += ' ';
    text += scope;
  }
  return text;
}

std::vector<std::string> split_scopes(const std::string& text) {
  std::vector<std::string> scopes;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) scopes.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return scopes;
}

constexpr std::string_view key_columns =
    "SELECT id, store_id, name, key_prefix, scopes, created_by_staff_id, created_at_utc, "
    "revoked_at_utc FROM api_keys ";

ApiKeyRecord read_key(Statement& query) {
  ApiKeyRecord record;
  record.id = query.column_integer(0);
  record.store_id = query.column_text(1);
  record.name = query.column_text(2);
  record.key_prefix = query.column_text(3);
  record.scopes = split_scopes(query.column_text(4));
  if (!query.column_is_null(5)) record.created_by_staff_id = query.column_integer(5);
  record.created_at_utc = query.column_text(6);
  if (!query.column_is_null(7)) record.revoked_at_utc = query.column_text(7);
  return record;
}

StorageResult<std::optional<ApiKeyRecord>> find_one_key(sqlite3* connection, Statement& query) {
  using Result = StorageResult<std::optional<ApiKeyRecord>>;
  const int code = query.step();
  if (code == SQLITE_ROW) return Result::success(read_key(query));
  if (code == SQLITE_DONE) return Result::success(std::nullopt);
  return Result::failure(describe_error(connection, "reading an API key"));
}

}  // namespace

std::span<const std::string_view> known_api_key_scopes() { return scope_names; }

StorageResult<NewApiKey> create_api_key(sqlite3* connection, std::string_view store_id,
                                        std::string_view name,
                                        const std::vector<std::string>& scopes,
                                        std::optional<std::int64_t> created_by_staff_id,
                                        std::string_view now_utc) {
  NewApiKey created;
  created.key = std::string(api_key_marker) + random_token();
  created.record.store_id = std::string(store_id);
  created.record.name = std::string(name);
  created.record.key_prefix = created.key.substr(0, shown_prefix_bytes);
  created.record.scopes = scopes;
  created.record.created_by_staff_id = created_by_staff_id;
  created.record.created_at_utc = std::string(now_utc);
  Statement insert(connection,
                   "INSERT INTO api_keys (store_id, name, key_prefix, key_hash, scopes, "
                   "created_by_staff_id, created_at_utc) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return StorageResult<NewApiKey>::failure(insert.error_message());
  insert.bind_text(1, store_id);
  insert.bind_text(2, name);
  insert.bind_text(3, created.record.key_prefix);
  insert.bind_text(4, sha256_hex(created.key));
  insert.bind_text(5, join_scopes(scopes));
  if (created_by_staff_id) insert.bind_integer(6, *created_by_staff_id);  // else NULL
  insert.bind_text(7, now_utc);
  if (insert.step() != SQLITE_DONE) {
    return StorageResult<NewApiKey>::failure(describe_error(connection, "creating an API key"));
  }
  created.record.id = sqlite3_last_insert_rowid(connection);
  return StorageResult<NewApiKey>::success(std::move(created));
}

StorageResult<std::vector<ApiKeyRecord>> api_keys_of_store(sqlite3* connection,
                                                           std::string_view store_id) {
  using Result = StorageResult<std::vector<ApiKeyRecord>>;
  Statement query(connection, std::string(key_columns) + "WHERE store_id = ? ORDER BY id");
  if (!query.ok()) return Result::failure(query.error_message());
  query.bind_text(1, store_id);
  std::vector<ApiKeyRecord> keys;
  int code = SQLITE_ROW;
  while ((code = query.step()) == SQLITE_ROW) keys.push_back(read_key(query));
  if (code != SQLITE_DONE) return Result::failure(describe_error(connection, "reading API keys"));
  return Result::success(std::move(keys));
}

StorageResult<std::optional<ApiKeyRecord>> find_api_key(sqlite3* connection,
                                                        std::string_view store_id,
                                                        std::int64_t key_id) {
  Statement query(connection, std::string(key_columns) + "WHERE store_id = ? AND id = ?");
  if (!query.ok()) return StorageResult<std::optional<ApiKeyRecord>>::failure(query.error_message());
  query.bind_text(1, store_id);
  query.bind_integer(2, key_id);
  return find_one_key(connection, query);
}

StorageResult<std::optional<ApiKeyRecord>> find_live_api_key_by_hash(sqlite3* connection,
                                                                     std::string_view key_hash) {
  Statement query(connection,
                  std::string(key_columns) + "WHERE key_hash = ? AND revoked_at_utc IS NULL");
  if (!query.ok()) return StorageResult<std::optional<ApiKeyRecord>>::failure(query.error_message());
  query.bind_text(1, key_hash);
  return find_one_key(connection, query);
}

StorageResult<Done> revoke_api_key(sqlite3* connection, std::int64_t key_id,
                                   std::string_view now_utc) {
  Statement update(connection,
                   "UPDATE api_keys SET revoked_at_utc = ? WHERE id = ? AND revoked_at_utc IS NULL");
  if (!update.ok()) return StorageResult<Done>::failure(update.error_message());
  update.bind_text(1, now_utc);
  update.bind_integer(2, key_id);
  if (update.step() != SQLITE_DONE) {
    return StorageResult<Done>::failure(describe_error(connection, "revoking an API key"));
  }
  return StorageResult<Done>::success({});
}

}  // namespace loyalty::server::auth
