#include "core/basics/json_fields.hpp"

namespace loyalty {

std::string FieldReader::join(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  std::string joined(path);
  joined.push_back('.');
  joined.append(key);
  return joined;
}

std::string FieldReader::index(std::string_view path, std::size_t position) {
  return std::string(path) + "[" + std::to_string(position) + "]";
}

void FieldReader::add(std::string path, std::string message_vi, std::string message_en) {
  errors_.push_back(FieldError{std::move(path), std::move(message_vi), std::move(message_en)});
}

void FieldReader::reject_unknown_keys(const Json& object, std::string_view path,
                                      std::initializer_list<std::string_view> known) {
  if (!object.is_object()) return;
  for (const auto& item : object.items()) {
    bool is_known = false;
    for (std::string_view name : known) is_known = is_known || item.key() == name;
    if (!is_known) add(join(path, item.key()), "trường không được hỗ trợ", "unknown field");
  }
}

bool FieldReader::require_object(const Json& value, std::string_view path) {
  if (value.is_object()) return true;
  add(std::string(path.empty() ? "$" : path), "phải là một đối tượng JSON", "must be a JSON object");
  return false;
}

std::optional<std::int64_t> FieldReader::integer(const Json& object, std::string_view key, std::string_view path,
                                                 std::int64_t minimum, std::int64_t maximum, bool required) {
  const std::string field_path = join(path, key);
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) {
    if (required) add(field_path, "bắt buộc", "is required");
    return std::nullopt;
  }
  if (found->is_number_unsigned() && found->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    add(field_path, "số quá lớn", "is too large");
    return std::nullopt;
  }
  if (!found->is_number_integer()) {
    add(field_path, "phải là số nguyên", "must be a whole number");
    return std::nullopt;
  }
  const std::int64_t value = found->get<std::int64_t>();
  if (value < minimum) {
    add(field_path, minimum == 0 ? "không được âm" : "phải từ " + std::to_string(minimum) + " trở lên",
        minimum == 0 ? "must not be negative" : "must be at least " + std::to_string(minimum));
    return std::nullopt;
  }
  if (value > maximum) {
    add(field_path, "không được lớn hơn " + std::to_string(maximum), "must be at most " + std::to_string(maximum));
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> FieldReader::text(const Json& object, std::string_view key, std::string_view path,
                                             std::size_t max_bytes, bool required, bool allow_empty) {
  const std::string field_path = join(path, key);
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) {
    if (required) add(field_path, "bắt buộc", "is required");
    return std::nullopt;
  }
  if (!found->is_string()) {
    add(field_path, "phải là chuỗi ký tự", "must be a string");
    return std::nullopt;
  }
  std::string value = found->get<std::string>();
  if (!is_valid_utf8(value)) {
    add(field_path, "không phải UTF-8 hợp lệ", "is not valid UTF-8");
    return std::nullopt;
  }
  if (!allow_empty && value.find_first_not_of(" \t\r\n") == std::string::npos) {
    add(field_path, "không được để trống", "must not be empty");
    return std::nullopt;
  }
  if (value.size() > max_bytes) {
    add(field_path, "dài quá " + std::to_string(max_bytes) + " byte", "is longer than " + std::to_string(max_bytes) + " bytes");
    return std::nullopt;
  }
  return value;
}

std::optional<bool> FieldReader::boolean(const Json& object, std::string_view key, std::string_view path, bool required) {
  const std::string field_path = join(path, key);
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) {
    if (required) add(field_path, "bắt buộc", "is required");
    return std::nullopt;
  }
  if (!found->is_boolean()) {
    add(field_path, "phải là true hoặc false", "must be true or false");
    return std::nullopt;
  }
  return found->get<bool>();
}

std::optional<UtcSeconds> FieldReader::time(const Json& object, std::string_view key, std::string_view path, bool required) {
  const std::string field_path = join(path, key);
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) {
    if (required) add(field_path, "bắt buộc", "is required");
    return std::nullopt;
  }
  std::optional<UtcSeconds> parsed;
  // A bare date names no instant (midnight where?): a command's time must carry its zone.
  if (found->is_string() && found->get<std::string>().size() > 10) parsed = parse_utc_time(found->get<std::string>());
  if (!parsed) {
    add(field_path, "phải là thời điểm ISO 8601 có múi giờ, ví dụ 2026-11-24T10:00:00Z",
        "must be an ISO 8601 time with a zone, e.g. 2026-11-24T10:00:00Z");
  }
  return parsed;
}

bool is_valid_key(std::string_view key, std::size_t max_bytes) {
  if (key.empty() || key.size() > max_bytes) return false;
  for (char c : key) {
    if (c <= ' ' || c >= 127) return false;
  }
  return true;
}

bool is_valid_utf8(std::string_view text) {
  std::size_t position = 0;
  while (position < text.size()) {
    const auto byte = static_cast<unsigned char>(text[position]);
    std::size_t length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3 : (byte >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || position + length > text.size()) return false;
    std::uint32_t code_point = length == 1 ? byte : length == 2 ? (byte & 0x1F) : length == 3 ? (byte & 0x0F) : (byte & 0x07);
    for (std::size_t i = 1; i < length; ++i) {
      const auto continuation = static_cast<unsigned char>(text[position + i]);
      if ((continuation & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (continuation & 0x3F);
    }
    // Overlong forms, surrogates and values beyond U+10FFFF are not UTF-8.
    if ((length == 2 && code_point < 0x80) || (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000) ||
        (code_point >= 0xD800 && code_point <= 0xDFFF) || code_point > 0x10FFFF) {
      return false;
    }
    position += length;
  }
  return true;
}

}  // namespace loyalty
