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

#include "server/auth/principal.hpp"
#include "server/storage/storage_result.hpp"

namespace loyalty::server::storage {
class Database;
}
namespace loyalty::server::hosting {

class StoreRegistry;

inline constexpr const char* demo_store_id = "cua-hang-demo";

struct DemoAccount {
  const char* email;
  const char* name;
  const char* password;
  auth::Role role;
};
// Documented in the README and listed on the console's sign-in page (GET /api/v1/auth/demo):
// a demo is meant to be tried.
inline constexpr DemoAccount demo_accounts[] = {
    {"chu@demo.vn", "Chủ cửa hàng (demo)", "demo-chu-cua-hang", auth::Role::owner},
    {"marketing@demo.vn", "Tiếp thị (demo)", "demo-tiep-thi", auth::Role::marketing},
    {"hotro@demo.vn", "Hỗ trợ khách hàng (demo)", "demo-ho-tro", auth::Role::support},
};

// Gives true when the demo store was created now, false when the database had stores.
storage::StorageResult<bool> create_demo_store_if_empty(StoreRegistry& stores, storage::Database& database,
                                                        const std::filesystem::path& commands_path);

}  // namespace loyalty::server::hosting
