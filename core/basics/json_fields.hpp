// json_fields.hpp: reading typed fields out of JSON with every error collected.
//
// Each reader takes the enclosing object, the key and the JSON path of the object; a
// missing, mistyped or out-of-range field adds one FieldError (path + Vietnamese +
// English message) and yields the fallback, so a caller can report every problem at once.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/basics/results.hpp"
#include "core/basics/time.hpp"

namespace loyalty {

// Ordered: results keep their fields in the order written ("line", "command", "result", ...),
// which is what a person reading a result line expects.
using Json = nlohmann::ordered_json;

class FieldReader {
 public:
  explicit FieldReader(std::vector<FieldError>& errors) : errors_(errors) {}

  static std::string join(std::string_view path, std::string_view key);   // "wallet" + "rounding"
  static std::string index(std::string_view path, std::size_t position);  // "tiers" + 2 -> "tiers[2]"

  // Adds an error for every key of `object` not in `known` (catches typos such as "tier_point").
  void reject_unknown_keys(const Json& object, std::string_view path, std::initializer_list<std::string_view> known);
  bool require_object(const Json& value, std::string_view path);

  std::optional<std::int64_t> integer(const Json& object, std::string_view key, std::string_view path,
                                      std::int64_t minimum, std::int64_t maximum, bool required);
  std::optional<std::string> text(const Json& object, std::string_view key, std::string_view path,
                                  std::size_t max_bytes, bool required, bool allow_empty = false);
  std::optional<bool> boolean(const Json& object, std::string_view key, std::string_view path, bool required);
  std::optional<UtcSeconds> time(const Json& object, std::string_view key, std::string_view path, bool required);

  void add(std::string path, std::string message_vi, std::string message_en);
  bool has_errors() const { return !errors_.empty(); }

 private:
  std::vector<FieldError>& errors_;
};

// Checks that `text` is valid UTF-8 (names and messages are shown to people).
bool is_valid_utf8(std::string_view text);
// A client-chosen id (order, refund, hold, idempotency key...): staff read, log and type
// it, so printable ASCII without spaces, 1 to max_bytes long.
bool is_valid_key(std::string_view key, std::size_t max_bytes);
inline constexpr std::size_t key_bytes_max = 128;

}  // namespace loyalty
