#include "server/auth/staff_accounts.hpp"

#include <sqlite3.h>

#include "server/storage/statement.hpp"

namespace loyalty::server::auth {
namespace {

using storage::Done;
using storage::Statement;
using storage::StorageResult;
using storage::describe_error;

constexpr std::string_view staff_columns =
    "SELECT id, email, display_name, password_hash, disabled, created_at_utc FROM staff ";

StaffAccount read_staff(Statement& query) {
  return StaffAccount{query.column_integer(0), query.column_text(1), query.column_text(2),
                      query.column_text(3), query.column_integer(4) != 0, query.column_text(5)};
}

template <class Value>
Found<Value> find_failure(std::string message) {
  return Found<Value>::failure(std::move(message));
}

Found<StaffAccount> find_one_staff(sqlite3* connection, Statement& query) {
  const int code = query.step();
  if (code == SQLITE_ROW) return Found<StaffAccount>::success(read_staff(query));
  if (code == SQLITE_DONE) return Found<StaffAccount>::success(std::nullopt);
  return find_failure<StaffAccount>(describe_error(connection, "reading staff"));
}

StorageResult<Done> run_change(sqlite3* connection, Statement& change, std::string_view what) {
  if (change.step() != SQLITE_DONE) {
    return StorageResult<Done>::failure(describe_error(connection, what));
  }
  return StorageResult<Done>::success({});
}

}  // namespace

Found<StaffAccount> find_staff_by_email(sqlite3* connection, std::string_view email) {
  Statement query(connection, std::string(staff_columns) + "WHERE email = ?");
  if (!query.ok()) return find_failure<StaffAccount>(query.error_message());
  query.bind_text(1, email);
  return find_one_staff(connection, query);
}

Found<StaffAccount> find_staff_by_id(sqlite3* connection, std::int64_t staff_id) {
  Statement query(connection, std::string(staff_columns) + "WHERE id = ?");
  if (!query.ok()) return find_failure<StaffAccount>(query.error_message());
  query.bind_integer(1, staff_id);
  return find_one_staff(connection, query);
}

StorageResult<std::int64_t> insert_staff(sqlite3* connection, std::string_view email,
                                         std::string_view display_name,
                                         std::string_view password_hash, std::string_view now_utc) {
  Statement insert(connection,
                   "INSERT INTO staff (email, display_name, password_hash, created_at_utc) "
                   "VALUES (?, ?, ?, ?)");
  if (!insert.ok()) return StorageResult<std::int64_t>::failure(insert.error_message());
  insert.bind_text(1, email);
  insert.bind_text(2, display_name);
  insert.bind_text(3, password_hash);
  insert.bind_text(4, now_utc);
  if (insert.step() != SQLITE_DONE) {
    return StorageResult<std::int64_t>::failure(describe_error(connection, "adding staff"));
  }
  return StorageResult<std::int64_t>::success(sqlite3_last_insert_rowid(connection));
}

StorageResult<Done> set_password_hash(sqlite3* connection, std::int64_t staff_id,
                                      std::string_view password_hash) {
  Statement update(connection, "UPDATE staff SET password_hash = ? WHERE id = ?");
  if (!update.ok()) return StorageResult<Done>::failure(update.error_message());
  update.bind_text(1, password_hash);
  update.bind_integer(2, staff_id);
  return run_change(connection, update, "changing a password");
}

StorageResult<bool> store_exists(sqlite3* connection, std::string_view store_id) {
  Statement query(connection, "SELECT 1 FROM stores WHERE id = ?");
  if (!query.ok()) return StorageResult<bool>::failure(query.error_message());
  query.bind_text(1, store_id);
  const int code = query.step();
  if (code != SQLITE_ROW && code != SQLITE_DONE) {
    return StorageResult<bool>::failure(describe_error(connection, "reading stores"));
  }
  return StorageResult<bool>::success(code == SQLITE_ROW);
}

StorageResult<std::vector<StoreRole>> roles_of_staff(sqlite3* connection, std::int64_t staff_id) {
  using Result = StorageResult<std::vector<StoreRole>>;
  Statement query(connection,
                  "SELECT r.store_id, s.name, r.role FROM staff_roles r "
                  "JOIN stores s ON s.id = r.store_id WHERE r.staff_id = ? ORDER BY r.store_id");
  if (!query.ok()) return Result::failure(query.error_message());
  query.bind_integer(1, staff_id);
  std::vector<StoreRole> roles;
  int code = SQLITE_ROW;
  while ((code = query.step()) == SQLITE_ROW) {
    roles.push_back({query.column_text(0), query.column_text(1),
                     role_from_name(query.column_text(2)).value_or(Role::support)});
  }
  if (code != SQLITE_DONE) return Result::failure(describe_error(connection, "reading roles"));
  return Result::success(std::move(roles));
}

Found<Role> role_in_store(sqlite3* connection, std::int64_t staff_id, std::string_view store_id) {
  Statement query(connection, "SELECT role FROM staff_roles WHERE staff_id = ? AND store_id = ?");
  if (!query.ok()) return find_failure<Role>(query.error_message());
  query.bind_integer(1, staff_id);
  query.bind_text(2, store_id);
  const int code = query.step();
  if (code == SQLITE_DONE) return Found<Role>::success(std::nullopt);
  if (code != SQLITE_ROW) return find_failure<Role>(describe_error(connection, "reading a role"));
  // The CHECK constraint admits only known names; anything else would be a broken file.
  return Found<Role>::success(role_from_name(query.column_text(0)));
}

namespace {
constexpr std::string_view store_staff_columns =
    "SELECT s.id, s.email, s.display_name, r.role, s.disabled FROM staff_roles r "
    "JOIN staff s ON s.id = r.staff_id WHERE r.store_id = ? ";

StoreStaffMember read_store_staff(Statement& query) {
  return StoreStaffMember{query.column_integer(0), query.column_text(1), query.column_text(2),
                          role_from_name(query.column_text(3)).value_or(Role::support),
                          query.column_integer(4) != 0};
}
}  // namespace

StorageResult<std::vector<StoreStaffMember>> staff_of_store(sqlite3* connection,
                                                            std::string_view store_id) {
  using Result = StorageResult<std::vector<StoreStaffMember>>;
  Statement query(connection, std::string(store_staff_columns) + "ORDER BY s.id");
  if (!query.ok()) return Result::failure(query.error_message());
  query.bind_text(1, store_id);
  std::vector<StoreStaffMember> members;
  int code = SQLITE_ROW;
  while ((code = query.step()) == SQLITE_ROW) members.push_back(read_store_staff(query));
  if (code != SQLITE_DONE) return Result::failure(describe_error(connection, "reading staff"));
  return Result::success(std::move(members));
}

Found<StoreStaffMember> staff_member_of_store(sqlite3* connection, std::string_view store_id,
                                              std::int64_t staff_id) {
  Statement query(connection, std::string(store_staff_columns) + "AND s.id = ?");
  if (!query.ok()) return find_failure<StoreStaffMember>(query.error_message());
  query.bind_text(1, store_id);
  query.bind_integer(2, staff_id);
  const int code = query.step();
  if (code == SQLITE_ROW) return Found<StoreStaffMember>::success(read_store_staff(query));
  if (code == SQLITE_DONE) return Found<StoreStaffMember>::success(std::nullopt);
  return find_failure<StoreStaffMember>(describe_error(connection, "reading staff"));
}

StorageResult<Done> set_role(sqlite3* connection, std::int64_t staff_id, std::string_view store_id,
                             Role role) {
  Statement upsert(connection,
                   "INSERT INTO staff_roles (staff_id, store_id, role) VALUES (?, ?, ?) "
                   "ON CONFLICT (staff_id, store_id) DO UPDATE SET role = excluded.role");
  if (!upsert.ok()) return StorageResult<Done>::failure(upsert.error_message());
  upsert.bind_integer(1, staff_id);
  upsert.bind_text(2, store_id);
  upsert.bind_text(3, role_name(role));
  return run_change(connection, upsert, "setting a role");
}

StorageResult<Done> remove_role(sqlite3* connection, std::int64_t staff_id,
                                std::string_view store_id) {
  Statement remove(connection, "DELETE FROM staff_roles WHERE staff_id = ? AND store_id = ?");
  if (!remove.ok()) return StorageResult<Done>::failure(remove.error_message());
  remove.bind_integer(1, staff_id);
  remove.bind_text(2, store_id);
  return run_change(connection, remove, "removing a role");
}

StorageResult<std::int64_t> count_active_owners(sqlite3* connection, std::string_view store_id) {
  Statement query(connection,
                  "SELECT COUNT(*) FROM staff_roles r JOIN staff s ON s.id = r.staff_id "
                  "WHERE r.store_id = ? AND r.role = 'owner' AND s.disabled = 0");
  if (!query.ok()) return StorageResult<std::int64_t>::failure(query.error_message());
  query.bind_text(1, store_id);
  if (query.step() != SQLITE_ROW) {
    return StorageResult<std::int64_t>::failure(describe_error(connection, "counting owners"));
  }
  return StorageResult<std::int64_t>::success(query.column_integer(0));
}

}  // namespace loyalty::server::auth
