// journal.hpp: each store's append-only list of accepted commands.
//
// A store's state is never saved as such: it is rebuilt by replaying its commands in
// sequence order (time travels inside each command, so replay is deterministic). Append
// returns only once the command is durable, so the server may answer "accepted" after it.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "server/storage/database.hpp"
#include "server/storage/storage_result.hpp"

namespace loyalty::server::storage {

struct JournalEntry {
  std::string store_id;
  std::int64_t sequence = 0;  // 1, 2, 3, ... per store, without gaps
  std::string command_json;
  std::string recorded_at_utc;  // "2026-11-24T10:00:00Z", when the server stored it
};

class Journal {
 public:
  explicit Journal(Database& database) : database_(database) {}

  // Appends the command as the store's next entry, in one transaction; on success the
  // entry is on disk and the value is its sequence number. The store must exist in
  // `stores` (foreign key): a journal for an unknown store is refused.
  StorageResult<std::int64_t> append(std::string_view store_id, std::string_view command_json);

  // Calls `visit` with each of the store's entries in sequence order; gives how many.
  StorageResult<std::int64_t> read_all(std::string_view store_id,
                                       const std::function<void(const JournalEntry&)>& visit);

 private:
  Database& database_;
};

}  // namespace loyalty::server::storage
