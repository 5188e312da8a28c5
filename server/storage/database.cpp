#include "server/storage/database.hpp"

#include <sqlite3.h>

#include <string>
#include <system_error>

#include "server/storage/migrations.hpp"
#include "server/storage/statement.hpp"

namespace loyalty::server::storage {
namespace {

// Long enough to ride out another process's checkpoint or migration, short enough that a
// request does not hang when the file is locked for good.
constexpr int busy_timeout_ms = 5000;

using OpenResult = StorageResult<std::unique_ptr<Database>>;

}  // namespace

OpenResult Database::open(const std::filesystem::path& file_path) {
  const std::string shown_path = file_path.string();
  if (file_path.empty()) return OpenResult::failure("the database path is empty");

  const std::filesystem::path parent = file_path.parent_path();
  if (!parent.empty()) {
    std::error_code error;
    std::filesystem::create_directories(parent, error);
    if (error) {
      return OpenResult::failure("cannot create the folder " + parent.string() + " for " +
                                 shown_path + ": " + error.message());
    }
  }
  std::error_code status_error;
  if (std::filesystem::is_directory(file_path, status_error)) {
    return OpenResult::failure("cannot open database " + shown_path + ": it is a folder");
  }

  sqlite3* connection = nullptr;
  // NOMUTEX: the Database's own mutex serialises use of the connection.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(shown_path.c_str(), &connection, flags, nullptr) != SQLITE_OK) {
    std::string message = connection != nullptr ? sqlite3_errmsg(connection) : "out of memory";
    sqlite3_close_v2(connection);
    return OpenResult::failure("cannot open database " + shown_path + ": " + message);
  }
  auto fail = [&](const std::string& message) {
    sqlite3_close_v2(connection);
    return OpenResult::failure("cannot open database " + shown_path + ": " + message);
  };

  sqlite3_busy_timeout(connection, busy_timeout_ms);
  sqlite3_extended_result_codes(connection, 1);

  // journal_mode answers with the mode it ended in; a file system without shared memory
  // support stays in "delete" mode, which we refuse rather than run with other guarantees.
  {
    Statement journal_mode(connection, "PRAGMA journal_mode=WAL");
    if (!journal_mode.ok()) return fail(journal_mode.error_message());
    if (journal_mode.step() != SQLITE_ROW) {
      return fail(describe_error(connection, "setting WAL mode"));
    }
    const std::string mode = journal_mode.column_text(0);
    if (mode != "wal") return fail("WAL mode is not available here (journal_mode=" + mode + ")");
  }
  // FULL: a commit is on disk (WAL fsynced) before COMMIT returns, so an accepted command
  // survives a power cut. NORMAL would be faster but may lose the last commits.
  if (auto error = execute(connection, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON");
      !error.empty()) {
    return fail(error);
  }
  auto migrated = apply_migrations(connection);
  if (!migrated.ok()) return fail(migrated.error_message());

  return OpenResult::success(std::unique_ptr<Database>(new Database(connection, file_path)));
}

Database::~Database() { sqlite3_close_v2(connection_); }

StorageResult<std::int64_t> Database::schema_version() {
  return with_connection([](sqlite3* connection) { return read_schema_version(connection); });
}

}  // namespace loyalty::server::storage
