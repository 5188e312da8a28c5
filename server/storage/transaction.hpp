// transaction.hpp: BEGIN IMMEDIATE ... COMMIT around several statements, rolled back
// unless committed, so that a change and its audit entry are kept together or not at all.
#pragma once
#include <string>

struct sqlite3;

namespace loyalty::server::storage {

class Transaction {
 public:
  // IMMEDIATE takes the write lock at once: another process (an operator's command) waits
  // on the busy timeout instead of failing half-way with SQLITE_BUSY.
  explicit Transaction(sqlite3* connection);
  ~Transaction();  // rolls back when commit() was not reached
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  bool ok() const { return error_message_.empty(); }   // BEGIN succeeded
  const std::string& error_message() const { return error_message_; }
  // Empty string on success, else why COMMIT failed (then the transaction is rolled back).
  std::string commit();

 private:
  sqlite3* connection_;
  bool open_ = false;
  std::string error_message_;
};

}  // namespace loyalty::server::storage
