// storage_result.hpp: what a storage call gives back, a value or a message saying why not.
//
// Storage failures (disk full, locked database, corrupt file) are expected at run time, so
// they travel as values to the caller, which decides how to answer (503, exit at start-up),
// rather than as exceptions crossing the HTTP layer.
#pragma once
#include <optional>
#include <string>
#include <utility>

namespace loyalty::server::storage {

template <class Value>
class StorageResult {
 public:
  static StorageResult success(Value value) {
    StorageResult result;
    result.value_ = std::move(value);
    return result;
  }
  static StorageResult failure(std::string error_message) {
    StorageResult result;
    result.error_message_ = std::move(error_message);
    return result;
  }

  bool ok() const { return value_.has_value(); }
  Value& value() { return *value_; }
  const Value& value() const { return *value_; }
  const std::string& error_message() const { return error_message_; }

 private:
  std::optional<Value> value_;
  std::string error_message_;
};

// For calls that succeed with nothing to return.
struct Done {};

}  // namespace loyalty::server::storage
