#include "server/storage/statement.hpp"

#include <sqlite3.h>

namespace loyalty::server::storage {

Statement::Statement(sqlite3* connection, std::string_view sql) : connection_(connection) {
  const int code = sqlite3_prepare_v2(connection, sql.data(), static_cast<int>(sql.size()),
                                      &statement_, nullptr);
  if (code != SQLITE_OK) {
    error_message_ = describe_error(connection, "preparing a statement");
    sqlite3_finalize(statement_);
    statement_ = nullptr;
  }
}

Statement::~Statement() { sqlite3_finalize(statement_); }

void Statement::bind_text(int index, std::string_view text) {
  // SQLITE_TRANSIENT: SQLite copies the text, so callers may pass temporaries.
  sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()),
                    SQLITE_TRANSIENT);
}

void Statement::reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

void Statement::bind_blob(int index, std::string_view bytes) {
  sqlite3_bind_blob64(statement_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
}

std::string Statement::column_blob(int index) {
  const void* bytes = sqlite3_column_blob(statement_, index);
  const int size = sqlite3_column_bytes(statement_, index);
  return bytes == nullptr ? std::string() : std::string(static_cast<const char*>(bytes), static_cast<std::size_t>(size));
}

void Statement::append_column_blob(int index, std::string& bytes) {
  const void* data = sqlite3_column_blob(statement_, index);
  const int size = sqlite3_column_bytes(statement_, index);
  if (data != nullptr) bytes.append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

void Statement::bind_integer(int index, std::int64_t number) {
  sqlite3_bind_int64(statement_, index, number);
}

int Statement::step() { return sqlite3_step(statement_); }

std::int64_t Statement::column_integer(int index) {
  return sqlite3_column_int64(statement_, index);
}

std::string Statement::column_text(int index) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, index));
  const int size_bytes = sqlite3_column_bytes(statement_, index);
  return text == nullptr ? std::string() : std::string(text, static_cast<std::size_t>(size_bytes));
}

bool Statement::column_is_null(int index) {
  return sqlite3_column_type(statement_, index) == SQLITE_NULL;
}

std::string execute(sqlite3* connection, std::string_view sql) {
  const std::string sql_text(sql);  // sqlite3_exec needs a terminated string
  char* sqlite_message = nullptr;
  const int code = sqlite3_exec(connection, sql_text.c_str(), nullptr, nullptr, &sqlite_message);
  if (code == SQLITE_OK) return {};
  std::string message = sqlite_message != nullptr ? sqlite_message : sqlite3_errstr(code);
  sqlite3_free(sqlite_message);
  return message + " (" + sqlite3_errstr(code) + ")";
}

std::string describe_error(sqlite3* connection, std::string_view what_failed) {
  const int code = sqlite3_extended_errcode(connection);
  return std::string(what_failed) + ": " + sqlite3_errmsg(connection) + " (" +
         sqlite3_errstr(code) + ")";
}

}  // namespace loyalty::server::storage
