#include "server/storage/transaction.hpp"

#include "server/storage/statement.hpp"

namespace loyalty::server::storage {

Transaction::Transaction(sqlite3* connection) : connection_(connection) {
  error_message_ = execute(connection_, "BEGIN IMMEDIATE");
  open_ = error_message_.empty();
}

Transaction::~Transaction() {
  if (open_) execute(connection_, "ROLLBACK");
}

std::string Transaction::commit() {
  if (!open_) return error_message_.empty() ? "no transaction is open" : error_message_;
  std::string error = execute(connection_, "COMMIT");
  if (!error.empty()) {
    execute(connection_, "ROLLBACK");
  }
  open_ = false;
  return error;
}

}  // namespace loyalty::server::storage
