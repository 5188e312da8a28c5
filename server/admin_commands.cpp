#include "server/admin_commands.hpp"

// [SECTION] arguments and standard input
// [SECTION] create-store, create-staff, grant-role, reset-password
// [SECTION] backup
#include <fcntl.h>
#include <sqlite3.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "server/auth/account_rules.hpp"
#include "server/auth/audit_log.hpp"
#include "server/auth/password_hashing.hpp"
#include "server/auth/principal.hpp"
#include "server/auth/sessions.hpp"
#include "server/auth/staff_accounts.hpp"
#include "server/auth/utc_time.hpp"
#include "server/storage/database.hpp"
#include "server/storage/statement.hpp"
#include "server/storage/transaction.hpp"

namespace loyalty::server {
namespace {

constexpr int exit_code_ok = 0;
constexpr int exit_code_failure = 1;
constexpr int exit_code_usage = 2;
// Who the audit log names for what an operator does on the machine itself.
constexpr std::string_view operator_actor = "operator";

// ---------------------------------------------------------------- [SECTION] arguments

struct CommandSpec {
  std::string_view name;
  std::vector<std::string_view> required_flags;
  std::vector<std::string_view> optional_flags;
  std::string_view usage;
};

const std::vector<CommandSpec>& command_specs() {
  static const std::vector<CommandSpec> specs{
      {"create-store", {"--database", "--id", "--name"}, {"--time-zone"},
       "loyalty-server create-store --database FILE --id ID --name NAME [--time-zone ZONE]\n"
       "  Adds a store (a tenant). ID is 1-64 of a-z, 0-9 and '-'; ZONE defaults to Asia/Ho_Chi_Minh.\n"},
      {"create-staff", {"--database", "--email", "--name", "--store", "--role"}, {},
       "loyalty-server create-staff --database FILE --email EMAIL --name NAME --store ID --role ROLE\n"
       "  Adds a staff account with ROLE (owner, marketing, support) in store ID.\n"
       "  The password (8 characters or more) is read from standard input, one line.\n"},
      {"grant-role", {"--database", "--email", "--store", "--role"}, {},
       "loyalty-server grant-role --database FILE --email EMAIL --store ID --role ROLE\n"
       "  Gives an existing account ROLE in store ID (or changes the role it has there).\n"},
      {"reset-password", {"--database", "--email"}, {},
       "loyalty-server reset-password --database FILE --email EMAIL\n"
       "  Sets a new password, read from standard input (one line), and signs the account out\n"
       "  everywhere.\n"},
      {"backup", {"--database", "--to"}, {},
       "loyalty-server backup --database FILE --to FILE\n"
       "  Writes a consistent copy of the database while the server runs (SQLite's online\n"
       "  backup). To restore: stop the server, remove FILE-wal and FILE-shm if present,\n"
       "  copy the backup over FILE, start the server.\n"},
  };
  return specs;
}

using Flags = std::map<std::string, std::string, std::less<>>;

int usage_error(const CommandSpec& spec, const std::string& message) {
  std::fprintf(stderr, "loyalty-server %s: %s\nUsage: %s", std::string(spec.name).c_str(),
               message.c_str(), std::string(spec.usage).c_str());
  return exit_code_usage;
}

int failure(const CommandSpec& spec, const std::string& message) {
  std::fprintf(stderr, "loyalty-server %s: %s\n", std::string(spec.name).c_str(), message.c_str());
  return exit_code_failure;
}

// Flags as "--name value" or "--name=value"; an error message when they do not fit `spec`.
std::string parse_flags(const CommandSpec& spec, const std::vector<std::string>& arguments,
                        Flags& flags) {
  for (std::size_t index = 1; index < arguments.size(); ++index) {
    const std::string& argument = arguments[index];
    const std::size_t equals = argument.find('=');
    const std::string flag = argument.substr(0, equals);
    const auto listed = [&](const std::vector<std::string_view>& names) {
      return std::find(names.begin(), names.end(), flag) != names.end();
    };
    if (!listed(spec.required_flags) && !listed(spec.optional_flags)) {
      return "unknown option '" + argument + "'";
    }
    std::string value;
    if (equals != std::string::npos) {
      value = argument.substr(equals + 1);
    } else if (index + 1 < arguments.size()) {
      value = arguments[++index];
    } else {
      return flag + ": a value is missing";
    }
    if (value.empty()) return flag + ": the value is empty";
    if (flags.contains(flag)) return flag + " is given twice";
    flags[flag] = value;
  }
  for (std::string_view flag : spec.required_flags) {
    if (!flags.contains(flag)) return std::string(flag) + " is required";
  }
  return {};
}

// One line from standard input, without its line ending. Echo is turned off when a person
// types it at a terminal; a password never travels as a flag, where `ps` would show it.
std::optional<std::string> read_password_line() {
  const bool at_terminal = isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (at_terminal) {
    std::fputs("Password: ", stderr);
    tcgetattr(STDIN_FILENO, &saved);
    termios silent = saved;
    silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &silent);
  }
  std::string line;
  const bool read = static_cast<bool>(std::getline(std::cin, line));
  if (at_terminal) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::fputs("\n", stderr);
  }
  if (!read && line.empty()) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The new password from standard input, checked; an empty optional after reporting why.
std::optional<std::string> read_new_password(const CommandSpec& spec, int& exit_code) {
  std::optional<std::string> password = read_password_line();
  if (!password || password->empty()) {
    exit_code = usage_error(spec, "no password on standard input (one line)");
    return std::nullopt;
  }
  if (auto problem = auth::check_new_password(*password)) {
    exit_code = usage_error(spec, problem->message_en);
    return std::nullopt;
  }
  return password;
}

std::unique_ptr<storage::Database> open_database(const CommandSpec& spec, const Flags& flags,
                                                 int& exit_code) {
  auto opened = storage::Database::open(flags.at("--database"));
  if (!opened.ok()) {
    exit_code = failure(spec, opened.error_message());
    return nullptr;
  }
  return std::move(opened.value());
}

// Runs `work` in one transaction on the database; its message, or empty on success.
template <class Work>
std::string in_transaction(storage::Database& database, Work&& work) {
  return database.with_connection([&](sqlite3* connection) -> std::string {
    storage::Transaction transaction(connection);
    if (!transaction.ok()) return transaction.error_message();
    if (std::string error = work(connection); !error.empty()) return error;
    return transaction.commit();
  });
}

// ---------------------------------------------------------------- [SECTION] accounts

int create_store(const CommandSpec& spec, const Flags& flags) {
  const std::string& store_id = flags.at("--id");
  const std::string& name = flags.at("--name");
  const std::string time_zone =
      flags.contains("--time-zone") ? flags.at("--time-zone") : "Asia/Ho_Chi_Minh";
  if (auto problem = auth::check_store_id(store_id)) return usage_error(spec, "--id: " + problem->message_en);
  if (auto problem = auth::check_display_name(name)) return usage_error(spec, "--name: " + problem->message_en);
  if (auto problem = auth::check_time_zone(time_zone)) {
    return usage_error(spec, "--time-zone: " + problem->message_en);
  }
  int exit_code = exit_code_ok;
  auto database = open_database(spec, flags, exit_code);
  if (!database) return exit_code;
  const std::string error = in_transaction(*database, [&](sqlite3* connection) -> std::string {
    auto exists = auth::store_exists(connection, store_id);
    if (!exists.ok()) return exists.error_message();
    if (exists.value()) return "the store '" + store_id + "' already exists";
    storage::Statement insert(connection,
                              "INSERT INTO stores (id, name, time_zone, created_at_utc) VALUES (?, ?, ?, ?)");
    if (!insert.ok()) return insert.error_message();
    insert.bind_text(1, store_id);
    insert.bind_text(2, name);
    insert.bind_text(3, time_zone);
    insert.bind_text(4, auth::format_utc_time(auth::current_unix_time_s()));
    if (insert.step() != SQLITE_DONE) return storage::describe_error(connection, "adding the store");
    const nlohmann::json after = {{"id", store_id}, {"name", name}, {"time_zone", time_zone}};
    return auth::append_audit_entry(connection, store_id, operator_actor, "store.created",
                                    "store:" + store_id, "", after.dump())
        .error_message();
  });
  if (!error.empty()) return failure(spec, error);
  std::printf("created store %s (%s)\n", store_id.c_str(), name.c_str());
  return exit_code_ok;
}

// Why the store cannot take staff (it does not exist), or empty.
std::string check_store_exists(sqlite3* connection, const std::string& store_id) {
  auto exists = auth::store_exists(connection, store_id);
  if (!exists.ok()) return exists.error_message();
  if (!exists.value()) return "there is no store '" + store_id + "' (create it with create-store)";
  return {};
}

nlohmann::json staff_json(std::int64_t staff_id, std::string_view email, std::string_view name,
                          std::string_view store_id, auth::Role role) {
  return {{"id", staff_id}, {"email", email}, {"name", name}, {"store_id", store_id},
          {"role", auth::role_name(role)}};
}

int create_staff(const CommandSpec& spec, const Flags& flags) {
  const std::string email = auth::normalized_email(flags.at("--email"));
  const std::string& name = flags.at("--name");
  const std::string& store_id = flags.at("--store");
  const std::optional<auth::Role> role = auth::role_from_name(flags.at("--role"));
  if (auto problem = auth::check_email(email)) return usage_error(spec, "--email: " + problem->message_en);
  if (auto problem = auth::check_display_name(name)) return usage_error(spec, "--name: " + problem->message_en);
  if (!role) return usage_error(spec, "--role: expected owner, marketing or support");
  int exit_code = exit_code_ok;
  const std::optional<std::string> password = read_new_password(spec, exit_code);
  if (!password) return exit_code;
  auto database = open_database(spec, flags, exit_code);
  if (!database) return exit_code;
  const std::optional<std::string> password_hash = auth::hash_password(*password);
  if (!password_hash) return failure(spec, "hashing the password failed (out of memory?)");

  std::int64_t staff_id = 0;
  const std::string error = in_transaction(*database, [&](sqlite3* connection) -> std::string {
    if (std::string problem = check_store_exists(connection, store_id); !problem.empty()) return problem;
    auto existing = auth::find_staff_by_email(connection, email);
    if (!existing.ok()) return existing.error_message();
    if (existing.value()) return "an account with the email " + email + " already exists (use grant-role)";
    auto inserted = auth::insert_staff(connection, email, name, *password_hash,
                                       auth::format_utc_time(auth::current_unix_time_s()));
    if (!inserted.ok()) return inserted.error_message();
    staff_id = inserted.value();
    if (auto set = auth::set_role(connection, staff_id, store_id, *role); !set.ok()) return set.error_message();
    return auth::append_audit_entry(connection, store_id, operator_actor, "staff.created",
                                    "staff:" + std::to_string(staff_id), "",
                                    staff_json(staff_id, email, name, store_id, *role).dump())
        .error_message();
  });
  if (!error.empty()) return failure(spec, error);
  std::printf("created staff %lld %s, %s in store %s\n", static_cast<long long>(staff_id),
              email.c_str(), std::string(auth::role_name(*role)).c_str(), store_id.c_str());
  return exit_code_ok;
}

int grant_role(const CommandSpec& spec, const Flags& flags) {
  const std::string email = auth::normalized_email(flags.at("--email"));
  const std::string& store_id = flags.at("--store");
  const std::optional<auth::Role> role = auth::role_from_name(flags.at("--role"));
  if (!role) return usage_error(spec, "--role: expected owner, marketing or support");
  int exit_code = exit_code_ok;
  auto database = open_database(spec, flags, exit_code);
  if (!database) return exit_code;
  const std::string error = in_transaction(*database, [&](sqlite3* connection) -> std::string {
    if (std::string problem = check_store_exists(connection, store_id); !problem.empty()) return problem;
    auto staff = auth::find_staff_by_email(connection, email);
    if (!staff.ok()) return staff.error_message();
    if (!staff.value()) return "there is no account with the email " + email + " (use create-staff)";
    const auth::StaffAccount& account = *staff.value();
    auto previous = auth::role_in_store(connection, account.id, store_id);
    if (!previous.ok()) return previous.error_message();
    if (auto set = auth::set_role(connection, account.id, store_id, *role); !set.ok()) return set.error_message();
    const std::string before =
        previous.value()
            ? staff_json(account.id, account.email, account.display_name, store_id, *previous.value()).dump()
            : std::string();
    return auth::append_audit_entry(connection, store_id, operator_actor, "staff.role_granted",
                                    "staff:" + std::to_string(account.id), before,
                                    staff_json(account.id, account.email, account.display_name, store_id, *role)
                                        .dump())
        .error_message();
  });
  if (!error.empty()) return failure(spec, error);
  std::printf("%s is now %s in store %s\n", email.c_str(), std::string(auth::role_name(*role)).c_str(),
              store_id.c_str());
  return exit_code_ok;
}

int reset_password(const CommandSpec& spec, const Flags& flags) {
  const std::string email = auth::normalized_email(flags.at("--email"));
  int exit_code = exit_code_ok;
  const std::optional<std::string> password = read_new_password(spec, exit_code);
  if (!password) return exit_code;
  auto database = open_database(spec, flags, exit_code);
  if (!database) return exit_code;
  const std::optional<std::string> password_hash = auth::hash_password(*password);
  if (!password_hash) return failure(spec, "hashing the password failed (out of memory?)");
  const std::string error = in_transaction(*database, [&](sqlite3* connection) -> std::string {
    auto staff = auth::find_staff_by_email(connection, email);
    if (!staff.ok()) return staff.error_message();
    if (!staff.value()) return "there is no account with the email " + email;
    const std::int64_t staff_id = staff.value()->id;
    if (auto set = auth::set_password_hash(connection, staff_id, *password_hash); !set.ok()) {
      return set.error_message();
    }
    // Whoever knew the old password may hold a session: end them all.
    if (auto revoked = auth::revoke_sessions_of_staff(connection, staff_id); !revoked.ok()) {
      return revoked.error_message();
    }
    // About the account, not one store; never the hashes themselves.
    const nlohmann::json target = {{"id", staff_id}, {"email", email}};
    return auth::append_audit_entry(connection, "", operator_actor, "staff.password_reset",
                                    "staff:" + std::to_string(staff_id), "", target.dump())
        .error_message();
  });
  if (!error.empty()) return failure(spec, error);
  std::printf("password of %s reset; its sessions are ended\n", email.c_str());
  return exit_code_ok;
}

// ---------------------------------------------------------------- [SECTION] backup

void sync_folder(const std::filesystem::path& folder) {
  // The rename is durable only once the folder's entry is on disk.
  const int descriptor = open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (descriptor >= 0) {
    fsync(descriptor);
    close(descriptor);
  }
}

int backup(const CommandSpec& spec, const Flags& flags) {
  const std::filesystem::path source_path = flags.at("--database");
  const std::filesystem::path target_path = flags.at("--to");
  std::error_code error_code;
  if (!std::filesystem::is_regular_file(source_path, error_code)) {
    return failure(spec, "there is no database file " + source_path.string());
  }
  if (std::filesystem::equivalent(source_path, target_path, error_code)) {
    return usage_error(spec, "--to names the database itself");
  }
  // Written beside the target and renamed at the end, so that a failed or interrupted
  // backup never leaves a half-written file under the target's name.
  const std::filesystem::path partial_path =
      target_path.string() + ".partial-" + std::to_string(getpid());

  sqlite3* source = nullptr;
  sqlite3* target = nullptr;
  auto close_both = [&] {
    sqlite3_close_v2(source);
    sqlite3_close_v2(target);
  };
  // Read-write without CREATE: in WAL mode a reader may need to write the -shm index; the
  // backup itself only reads.
  if (sqlite3_open_v2(source_path.c_str(), &source, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::string message = storage::describe_error(source, "opening " + source_path.string());
    close_both();
    return failure(spec, message);
  }
  sqlite3_busy_timeout(source, 5000);
  if (sqlite3_open_v2(partial_path.c_str(), &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    std::string message = storage::describe_error(target, "creating " + partial_path.string());
    close_both();
    return failure(spec, message);
  }
  sqlite3_backup* copy = sqlite3_backup_init(target, "main", source, "main");
  if (copy == nullptr) {
    std::string message = storage::describe_error(target, "starting the backup");
    close_both();
    std::filesystem::remove(partial_path, error_code);
    return failure(spec, message);
  }
  // All pages in one step: one read transaction, so the copy is one consistent moment of
  // the database. In WAL mode the server keeps writing meanwhile; only a checkpoint waits.
  int code = SQLITE_OK;
  for (int attempt = 0; attempt < 100; ++attempt) {
    code = sqlite3_backup_step(copy, -1);
    if (code != SQLITE_BUSY && code != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const int page_count = sqlite3_backup_pagecount(copy);
  sqlite3_backup_finish(copy);
  if (code != SQLITE_DONE) {
    std::string message = std::string("copying pages: ") + sqlite3_errstr(code);
    close_both();
    std::filesystem::remove(partial_path, error_code);
    return failure(spec, message);
  }
  std::string check_result;
  {
    storage::Statement check(target, "PRAGMA quick_check");
    if (check.ok() && check.step() == SQLITE_ROW) check_result = check.column_text(0);
  }
  close_both();
  if (check_result != "ok") {
    std::filesystem::remove(partial_path, error_code);
    return failure(spec, "the copy failed its check: " + check_result);
  }
  std::filesystem::rename(partial_path, target_path, error_code);
  if (error_code) {
    std::filesystem::remove(partial_path, error_code);
    return failure(spec, "cannot move the copy to " + target_path.string() + ": " + error_code.message());
  }
  sync_folder(target_path.parent_path());
  std::printf("backed up %s to %s (%d pages)\n", source_path.c_str(), target_path.c_str(), page_count);
  return exit_code_ok;
}

}  // namespace

std::optional<int> run_admin_command(const std::vector<std::string>& arguments) {
  if (arguments.empty()) return std::nullopt;
  const auto& specs = command_specs();
  const auto spec = std::find_if(specs.begin(), specs.end(),
                                 [&](const CommandSpec& candidate) { return candidate.name == arguments[0]; });
  if (spec == specs.end()) return std::nullopt;
  if (arguments.size() == 2 && (arguments[1] == "--help" || arguments[1] == "-h")) {
    std::fputs(std::string(spec->usage).c_str(), stdout);
    return exit_code_ok;
  }
  Flags flags;
  if (std::string problem = parse_flags(*spec, arguments, flags); !problem.empty()) {
    return usage_error(*spec, problem);
  }
  if (spec->name == "create-store") return create_store(*spec, flags);
  if (spec->name == "create-staff") return create_staff(*spec, flags);
  if (spec->name == "grant-role") return grant_role(*spec, flags);
  if (spec->name == "reset-password") return reset_password(*spec, flags);
  return backup(*spec, flags);
}

}  // namespace loyalty::server
