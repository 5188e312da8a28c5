// database.hpp: the server's SQLite database, opened for durable writes.
//
// One connection, shared by the request threads under a mutex: SQLite allows one writer at
// a time anyway, and every accepted command must be on disk before the client hears "ok"
// (WAL with synchronous=FULL). Reads of store state will come from memory, not from here.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <utility>

#include "server/storage/storage_result.hpp"

struct sqlite3;

namespace loyalty::server::storage {

class Database {
 public:
  // Creates the parent folder and the file when missing, sets WAL, synchronous=FULL,
  // foreign keys and a busy timeout, then applies the schema migrations.
  static StorageResult<std::unique_ptr<Database>> open(const std::filesystem::path& file_path);

  ~Database();  // closes the connection (which checkpoints the WAL)
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const std::filesystem::path& file_path() const { return file_path_; }

  // A cheap query that reads the file: the health check's "is the database usable?".
  StorageResult<std::int64_t> schema_version();

  // Runs `work(sqlite3*)` while holding the connection; what `work` returns is returned.
  template <class Work>
  auto with_connection(Work&& work) {
    std::lock_guard lock(mutex_);
    return std::forward<Work>(work)(connection_);
  }

 private:
  Database(sqlite3* connection, std::filesystem::path file_path)
      : connection_(connection), file_path_(std::move(file_path)) {}

  std::mutex mutex_;
  sqlite3* connection_ = nullptr;
  std::filesystem::path file_path_;
};

}  // namespace loyalty::server::storage
