// migrations.hpp: the database schema as a numbered list of steps.
//
// Each step runs once per database, in its own transaction, and is recorded in
// `schema_migrations`. A step never changes once released: a later change to the schema is
// a new step with the next number, so every database, old or new, ends at the same schema.
#pragma once
#include <cstdint>
#include <span>
#include <string_view>

#include "server/storage/storage_result.hpp"

struct sqlite3;

namespace loyalty::server::storage {

struct Migration {
  std::int64_t version = 0;  // 1, 2, 3, ... without gaps
  std::string_view name;
  std::string_view sql;
};

std::span<const Migration> all_migrations();

// The highest step recorded in `schema_migrations` (0 when none).
StorageResult<std::int64_t> read_schema_version(sqlite3* connection);

// Applies the steps the database has not had yet; gives the schema version it ends at.
// Refuses a database whose schema is newer than this program knows.
StorageResult<std::int64_t> apply_migrations(sqlite3* connection);

}  // namespace loyalty::server::storage
