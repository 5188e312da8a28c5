// demo_store.hpp: the demo store `make run` starts with.
//
// On the first start of a database without stores, the server creates the store
// "cua-hang-demo" and runs the demo's commands (assets/demo_store.jsonl: the same program,
// members and year of orders the offline console shows) through its host, journaled like
// any write, and creates three staff accounts, one per role, with the documented demo
// passwords (README, "Demo"). A database that already has a store is left alone.
#pragma once
#include <filesystem>
#include <string>

#include "server/storage/storage_result.hpp"

namespace loyalty::server::storage {
class Database;
}
namespace loyalty::server::hosting {

class StoreRegistry;

inline constexpr const char* demo_store_id = "cua-hang-demo";

// Gives true when the demo store was created now, false when the database had stores.
storage::StorageResult<bool> create_demo_store_if_empty(StoreRegistry& stores, storage::Database& database,
                                                        const std::filesystem::path& commands_path);

}  // namespace loyalty::server::hosting
