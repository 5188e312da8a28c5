#include "server/auth/account_rules.hpp"

#include <algorithm>

namespace loyalty::server::auth {
namespace {

constexpr std::size_t email_max_bytes = 254;      // the longest address SMTP carries
constexpr std::size_t display_name_max_bytes = 200;
constexpr std::size_t store_id_max_bytes = 64;
constexpr std::size_t time_zone_max_bytes = 64;

bool is_control(unsigned char letter) { return letter < 0x20 || letter == 0x7f; }

}  // namespace

std::string normalized_email(std::string_view email) {
  std::string lowered(email);
  for (char& letter : lowered) {
    if (letter >= 'A' && letter <= 'Z') letter = static_cast<char>(letter - 'A' + 'a');
  }
  return lowered;
}

std::optional<InputProblem> check_email(std::string_view email) {
  const std::size_t at = email.find('@');
  const bool shaped = !email.empty() && email.size() <= email_max_bytes &&
                      at != std::string_view::npos && at > 0 && at + 1 < email.size() &&
                      email.find('@', at + 1) == std::string_view::npos &&
                      std::none_of(email.begin(), email.end(), [](char letter) {
                        return letter == ' ' || is_control(static_cast<unsigned char>(letter));
                      });
  if (shaped) return std::nullopt;
  return InputProblem{"Email không hợp lệ.", "The email address is not valid."};
}

std::optional<InputProblem> check_display_name(std::string_view name) {
  const bool blank = std::all_of(name.begin(), name.end(), [](char letter) { return letter == ' '; });
  if (blank) return InputProblem{"Tên không được để trống.", "The name must not be empty."};
  if (name.size() > display_name_max_bytes) {
    return InputProblem{"Tên quá dài (tối đa 200 byte).", "The name is too long (at most 200 bytes)."};
  }
  if (std::any_of(name.begin(), name.end(),
                  [](char letter) { return is_control(static_cast<unsigned char>(letter)); })) {
    return InputProblem{"Tên chứa ký tự điều khiển.", "The name contains control characters."};
  }
  return std::nullopt;
}

std::optional<InputProblem> check_store_id(std::string_view store_id) {
  auto allowed = [](char letter) {
    return (letter >= 'a' && letter <= 'z') || (letter >= '0' && letter <= '9') || letter == '-';
  };
  if (!store_id.empty() && store_id.size() <= store_id_max_bytes && store_id.front() != '-' &&
      std::all_of(store_id.begin(), store_id.end(), allowed)) {
    return std::nullopt;
  }
  return InputProblem{"Mã cửa hàng chỉ gồm a-z, 0-9 và '-', tối đa 64 ký tự.",
                      "A store id is 1 to 64 of a-z, 0-9 and '-', not starting with '-'."};
}

std::optional<InputProblem> check_time_zone(std::string_view time_zone) {
  auto allowed = [](char letter) {
    return (letter >= 'a' && letter <= 'z') || (letter >= 'A' && letter <= 'Z') ||
           (letter >= '0' && letter <= '9') || letter == '/' || letter == '_' || letter == '-' ||
           letter == '+';
  };
  if (!time_zone.empty() && time_zone.size() <= time_zone_max_bytes &&
      std::all_of(time_zone.begin(), time_zone.end(), allowed)) {
    return std::nullopt;
  }
  return InputProblem{"Múi giờ không hợp lệ (ví dụ: Asia/Ho_Chi_Minh).",
                      "The time zone is not valid (for example Asia/Ho_Chi_Minh)."};
}

}  // namespace loyalty::server::auth
