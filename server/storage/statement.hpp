// statement.hpp: a prepared SQLite statement that finalizes itself, and the few helpers
// the storage files share to run SQL and describe SQLite errors.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace loyalty::server::storage {

class Statement {
 public:
  // Prepares `sql`; check ok() before use, error_message() says why it failed.
  Statement(sqlite3* connection, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return statement_ != nullptr; }
  const std::string& error_message() const { return error_message_; }

  // Parameters are numbered from 1, as in SQLite.
  void bind_text(int index, std::string_view text);
  void bind_integer(int index, std::int64_t number);
  void bind_blob(int index, std::string_view bytes);

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step();
  void reset();   // to run the statement again with new bindings
  std::int64_t column_integer(int index);
  std::string column_text(int index);
  std::string column_blob(int index);
  void append_column_blob(int index, std::string& bytes);   // no copy in between: chunks of gigabytes
  bool column_is_null(int index);

 private:
  sqlite3* connection_ = nullptr;
  sqlite3_stmt* statement_ = nullptr;
  std::string error_message_;
};

// Runs one or more statements that return no rows; empty string on success, else the error.
std::string execute(sqlite3* connection, std::string_view sql);

// "what failed: SQLite's message (code name)", for messages that reach a log or a person.
std::string describe_error(sqlite3* connection, std::string_view what_failed);

}  // namespace loyalty::server::storage
