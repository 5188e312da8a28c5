// staff_accounts.hpp: the staff, stores and roles tables. Every function takes the
// connection (the caller holds it, and may be inside a Transaction).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/auth/principal.hpp"
#include "server/storage/storage_result.hpp"

struct sqlite3;

namespace loyalty::server::auth {

struct StaffAccount {
  std::int64_t id = 0;
  std::string email;
  std::string display_name;
  std::string password_hash;
  bool disabled = false;
  std::string created_at_utc;
};

struct StoreRole {          // one store a staff member works in
  std::string store_id;
  std::string store_name;
  Role role = Role::support;
};

struct StoreStaffMember {   // one staff member of a store
  std::int64_t staff_id = 0;
  std::string email;
  std::string display_name;
  Role role = Role::support;
  bool disabled = false;
};

template <class Value>
using Found = storage::StorageResult<std::optional<Value>>;

Found<StaffAccount> find_staff_by_email(sqlite3* connection, std::string_view email);
Found<StaffAccount> find_staff_by_id(sqlite3* connection, std::int64_t staff_id);
storage::StorageResult<std::int64_t> insert_staff(sqlite3* connection, std::string_view email,
                                                  std::string_view display_name,
                                                  std::string_view password_hash,
                                                  std::string_view now_utc);
storage::StorageResult<storage::Done> set_password_hash(sqlite3* connection, std::int64_t staff_id,
                                                        std::string_view password_hash);

storage::StorageResult<bool> store_exists(sqlite3* connection, std::string_view store_id);
storage::StorageResult<std::vector<StoreRole>> roles_of_staff(sqlite3* connection,
                                                              std::int64_t staff_id);
Found<Role> role_in_store(sqlite3* connection, std::int64_t staff_id, std::string_view store_id);
storage::StorageResult<std::vector<StoreStaffMember>> staff_of_store(sqlite3* connection,
                                                                     std::string_view store_id);
Found<StoreStaffMember> staff_member_of_store(sqlite3* connection, std::string_view store_id,
                                              std::int64_t staff_id);
// Inserts or replaces the staff member's role in the store.
storage::StorageResult<storage::Done> set_role(sqlite3* connection, std::int64_t staff_id,
                                               std::string_view store_id, Role role);
storage::StorageResult<storage::Done> remove_role(sqlite3* connection, std::int64_t staff_id,
                                                  std::string_view store_id);
// Owners who can still sign in: the store must always keep one.
storage::StorageResult<std::int64_t> count_active_owners(sqlite3* connection,
                                                         std::string_view store_id);

}  // namespace loyalty::server::auth
