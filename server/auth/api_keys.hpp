// api_keys.hpp: a store's API keys, for its checkouts and web shop.
//
// A key is "lk_" + 32 random bytes in base64url. It is shown once, when created; the
// table keeps its SHA-256 and a short prefix ("lk_AbCd1234") that lets the owner tell keys
// apart. Revoking stamps revoked_at_utc; the row stays, so the audit log's targets resolve.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/storage/storage_result.hpp"

struct sqlite3;

namespace loyalty::server::auth {

// "orders" (order events, refunds), "holds" (holds, redemptions, transfers), "lookups"
// (member lookup and profile at the till), "vouchers" (the member app: claim a voucher for a
// member, their vouchers and offers, check a code).
std::span<const std::string_view> known_api_key_scopes();
constexpr std::string_view api_key_marker = "lk_";

struct ApiKeyRecord {
  std::int64_t id = 0;
  std::string store_id;
  std::string name;
  std::string key_prefix;
  std::vector<std::string> scopes;
  std::optional<std::int64_t> created_by_staff_id;
  std::string created_at_utc;
  std::optional<std::string> revoked_at_utc;
};

struct NewApiKey {
  ApiKeyRecord record;
  std::string key;  // the only time the whole key exists outside the caller's hands
};

storage::StorageResult<NewApiKey> create_api_key(sqlite3* connection, std::string_view store_id,
                                                 std::string_view name,
                                                 const std::vector<std::string>& scopes,
                                                 std::optional<std::int64_t> created_by_staff_id,
                                                 std::string_view now_utc);
storage::StorageResult<std::vector<ApiKeyRecord>> api_keys_of_store(sqlite3* connection,
                                                                    std::string_view store_id);
storage::StorageResult<std::optional<ApiKeyRecord>> find_api_key(sqlite3* connection,
                                                                 std::string_view store_id,
                                                                 std::int64_t key_id);
// The unrevoked key whose hash is `key_hash`, in whatever store it belongs to.
storage::StorageResult<std::optional<ApiKeyRecord>> find_live_api_key_by_hash(
    sqlite3* connection, std::string_view key_hash);
storage::StorageResult<storage::Done> revoke_api_key(sqlite3* connection, std::int64_t key_id,
                                                     std::string_view now_utc);

}  // namespace loyalty::server::auth
